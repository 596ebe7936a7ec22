import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startTdsServer } from "./server.js";

/**
 * `node dist/emulators/sqlserver/main.js --database lvs.sqlite --port 14333 --login sa:Secret123! [--tls-cert server.pem --tls-key server.key [--force-encryption]]`
 * Starts the wire-level TDS test server over SQLite (dev/test only, not SQL Server). Prints one line
 * `listening <host>:<port>`; on SIGTERM/SIGINT stops and prints `maxRSS <KiB>`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: "string", default: process.env.TDS_DATABASE ?? ":memory:" },
      port: { type: "string", default: process.env.TDS_PORT ?? "14333" },
      host: { type: "string", default: "127.0.0.1" },
      login: { type: "string", multiple: true, default: [process.env.TDS_LOGIN ?? "sa:Secret123!"] },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "force-encryption": { type: "boolean", default: false },
    },
  });
  const logins: Record<string, string> = {};
  for (const l of values.login) {
    const at = l.indexOf(":");
    if (at <= 0) throw new Error(`--login wants user:password (or DOMAIN\\user:password), got ${l}`);
    logins[l.slice(0, at)] = l.slice(at + 1);
  }
  const certFile = values["tls-cert"];
  const keyFile = values["tls-key"];
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error("--tls-cert and --tls-key go together");
  const tls = certFile && keyFile ? { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), forceEncryption: values["force-encryption"] } : undefined;
  const server = await startTdsServer({ database: values.database, port: Number(values.port), host: values.host, logins, ...(tls ? { tls } : {}) });
  console.log(`listening ${values.host}:${server.port} (wire-level TDS test server over SQLite — not SQL Server)`);
  const stop = async () => {
    await server.stop();
    console.log(`maxRSS ${process.resourceUsage().maxRSS}`);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  process.once("SIGINT", () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
