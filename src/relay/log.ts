/**
 * The relay's log: one JSON object per line on stdout. Callers pass ids, counts, codes and reasons
 * only; never names, BSNs, addresses or SQL error texts (those can quote values).
 */
export type LogFields = Record<string, string | number | boolean | null>;
export type Log = (event: string, fields?: LogFields) => void;

export function createLog(write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Log {
  return (event, fields = {}) => write(JSON.stringify({ t: new Date().toISOString(), event, ...fields }));
}

/** A log that keeps lines in memory (tests read them to prove no personal data is logged). */
export function memoryLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  return { log: createLog((l) => lines.push(l)), lines };
}
