import * as path from "node:path"
import { defineWorkspace } from "vitest/config"

const packages = path.join(import.meta.dirname, "packages")

// The Effect 4 edition (packages/taskgroup-effect4) is not listed: it runs on
// vitest 5 under Node 22 with its own config (`pnpm test:effect4`).
// Tests run against each package's sources, not its built dist/, so a check
// never depends on a stale build.
const alias = [
  { find: /^@volley\/([\w-]+)$/, replacement: path.join(packages, "$1", "src", "index.ts") },
  { find: /^@volley\/([\w-]+)\/(\w+)$/, replacement: path.join(packages, "$1", "src", "$2.ts") }
]

export default defineWorkspace(
  ["taskgroup", "riot", "mock-server", "cli", "bench"].map((name) => ({
    resolve: { alias },
    test: { name, root: path.join(packages, name), include: ["test/**/*.test.ts"] }
  }))
)
