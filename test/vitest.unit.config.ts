import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The unit tests alone, without the shared Azurite of the full suite. Stryker (`npm run mutation`) runs
 * these against every mutant of src/core; they need no stand-in.
 */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/unit/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
