#!/usr/bin/env node
// The bin is this committed file rather than dist/bin.js, so that pnpm can link it into the workspace's other
// packages on a fresh clone, before anything is built.
import "../dist/bin.js"
