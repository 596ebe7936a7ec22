// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** What src/core may never import: Azure SDKs, adapters, Node I/O. The core is pure. */
const coreForbiddenImports = {
  patterns: [
    { group: ["@azure/*", "durable-functions", "tedious", "better-sqlite3"], message: "src/core is pure: no Azure SDK or drivers." },
    { group: ["**/adapters/**", "**/activities/**", "**/orchestrations/**", "**/relay/**", "**/config", "**/config.js"], message: "src/core may not depend on the shell." },
    {
      group: ["fs", "node:fs", "fs/*", "node:fs/*", "net", "node:net", "tls", "node:tls", "http", "node:http", "https", "node:https", "child_process", "node:child_process", "os", "node:os", "dgram", "node:dgram", "worker_threads", "node:worker_threads"],
      message: "src/core does no I/O.",
    },
  ],
};

/** src/contracts stands on its own: both ends of a wire depend on it, it depends on neither end nor on the domain model. */
const contractsForbiddenImports = {
  patterns: [
    { group: ["**/core", "**/core/**"], message: "src/contracts may not import src/core: a change to the domain model must not change a wire contract (map wire ↔ domain in the adapter)." },
    { group: ["**/adapters", "**/adapters/**"], message: "src/contracts may not import src/adapters: the client depends on the contract, not the other way round." },
  ],
};

/** Stand-ins speak the contracts (src/contracts), as the real systems do; they never reuse the app's adapters. */
const emulatorsForbiddenImports = {
  patterns: [{ group: ["**/src/adapters", "**/src/adapters/**"], message: "emulators/ may not import src/adapters: use the contract in src/contracts." }],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".local/**", "coverage/**", "packages/*/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", AbortController: "readonly", AbortSignal: "readonly", fetch: "readonly", structuredClone: "readonly", queueMicrotask: "readonly", performance: "readonly", globalThis: "readonly" } },
    rules: {
      eqeqeq: ["error", "always"],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["src/**/*.ts", "functions/**/*.ts"],
    ignores: ["src/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only src/config.ts reads process.env." }],
    },
  },
  {
    // every HTTP endpoint goes through functions/access.ts (authentication, authorisation, audit of refusals)
    files: ["functions/**/*.ts", "src/**/*.ts"],
    ignores: ["functions/access.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='app'][callee.property.name=/^(http|get|put|post|patch|deleteRequest)$/]",
          message: "Register HTTP endpoints with endpoint() from functions/access.ts: it authorises every request before the handler runs.",
        },
      ],
    },
  },
  {
    files: ["src/contracts/**/*.ts"],
    rules: { "no-restricted-imports": ["error", contractsForbiddenImports] },
  },
  {
    files: ["emulators/**/*.ts"],
    rules: { "no-restricted-imports": ["error", emulatorsForbiddenImports] },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", coreForbiddenImports],
      "no-restricted-globals": ["error", { name: "process", message: "src/core is pure." }, { name: "fetch", message: "src/core does no I/O." }, { name: "setTimeout", message: "src/core has no clock." }],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Time comes in as data." },
        { object: "Math", property: "random", message: "src/core is deterministic." },
      ],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Time comes in as data: no new Date()." }],
    },
  },
);
