import type { TestProject } from "vitest/node";
import { startAzurite } from "../../scripts/local-stack/azurite.js";

/**
 * Starts what the integration tests share: one in-memory Azurite for the whole run. Tests read its
 * connection string with `inject("azuriteConnectionString")` and use their own table/queue names.
 */
export default async function setup(project: TestProject) {
  const azurite = await startAzurite();
  project.provide("azuriteConnectionString", azurite.connectionString);
  return async () => {
    await azurite.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}
