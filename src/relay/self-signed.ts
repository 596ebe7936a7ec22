import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A self-signed certificate for the local HTTPS listener when none is configured, made once with
 * the openssl CLI and reused (localhost and 127.0.0.1). Good for development and a trial at a
 * school; a real installation configures its own certificate files.
 */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const certPath = join(dir, "relay-cert.pem");
  const keyPath = join(dir, "relay-key.pem");
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", keyPath, "-out", certPath, "-days", "825", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ], { stdio: "ignore" });
  }
  return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
}
