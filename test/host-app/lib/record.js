import { appendFileSync } from "node:fs";

/**
 * Appends one JSON line to the file named by HOST_APP_RECORD, so tests (also in another process)
 * can count what the app did.
 */
export function record(kind, data = {}) {
  const file = process.env.HOST_APP_RECORD;
  if (file) appendFileSync(file, JSON.stringify({ kind, ...data, at: new Date().toISOString() }) + "\n");
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
