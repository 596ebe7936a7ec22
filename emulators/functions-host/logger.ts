import type { LogLevelName } from "./core-api.js";

const order: Record<LogLevelName, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5, none: 6 };

/** One log line the host writes: which function and invocation it belongs to, if any. */
export interface LogRecord {
  time: string;
  level: LogLevelName;
  category: "host" | "user" | "system";
  functionName?: string;
  invocationId?: string;
  message: string;
}

export interface HostLogger {
  log(record: Omit<LogRecord, "time">): void;
  host(level: LogLevelName, message: string): void;
  enabled(level: LogLevelName): boolean;
}

/** Accepts host.json / ILogger spellings ("Information", "Warning", "None", ...). */
export function parseLogLevel(value: string | undefined, fallback: LogLevelName): LogLevelName {
  const v = (value ?? "").toLowerCase();
  if (v === "info") return "information";
  if (v === "warn") return "warning";
  return v in order ? (v as LogLevelName) : fallback;
}

/**
 * A logger that drops records below `minLevel` and prints
 * `<time> [Level] <function> (Id=<invocation>) <message>`, like the Functions host console.
 */
export function createLogger(minLevel: LogLevelName, sink?: (record: LogRecord) => void): HostLogger {
  const write =
    sink ??
    ((r: LogRecord) => {
      const who = r.functionName ? `${r.functionName}${r.invocationId ? ` (Id=${r.invocationId})` : ""}: ` : "";
      const line = `${r.time} [${r.level[0]?.toUpperCase()}${r.level.slice(1)}] ${who}${r.message}`;
      if (order[r.level] >= order.warning) process.stderr.write(line + "\n");
      else process.stdout.write(line + "\n");
    });
  const enabled = (level: LogLevelName) => level !== "none" && order[level] >= order[minLevel];
  return {
    enabled,
    log(record) {
      if (enabled(record.level)) write({ time: new Date().toISOString(), ...record });
    },
    host(level, message) {
      if (enabled(level)) write({ time: new Date().toISOString(), level, category: "host", message });
    },
  };
}
