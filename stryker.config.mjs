// @ts-check
/**
 * `npm run mutation`: mutation testing of the pure core (src/core) against the unit tests only.
 * Not part of `npm test` (a full run takes minutes). Incremental: only mutants whose code or covering
 * tests changed since the last run are tested again. Reports land in reports/mutation/ (git-ignored):
 * index.html to read, mutation.json for tools, stryker-incremental.json for the next run.
 * `npm run mutation -- --force` tests every mutant again (a reused result can be stale when only the
 * coverage of a mutant changed).
 * The script builds dist/ first: a few unit tests run the compiled CLI.
 * The machine is shared: two test-runner processes at most, and generous timeouts (a busy machine must not
 * turn a slow test run into a "timed out", which would count as killed).
 * The run fails (exit code 1) below a 90 % mutation score; every file should stay at 80 % or more.
 * Static mutants (code run once when a module loads: zod schemas, label tables, constants) are ignored:
 * each would rerun the whole unit suite, which makes a run take hours here. They show as "Ignored" in
 * the report and are not part of the score.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "test/vitest.unit.config.ts" },
  coverageAnalysis: "perTest",
  mutate: ["src/core/**/*.ts"],
  ignorePatterns: [".local", "coverage", "reports"],
  tempDirName: ".local/stryker-tmp",
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  ignoreStatic: true,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: 90 },
};

export default config;
