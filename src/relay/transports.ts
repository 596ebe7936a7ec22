import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * The two ways requests reach the relay, both feeding the same handler:
 * - queue (queue-transport.ts, production): the relay polls its school's Storage queue and answers
 *   into blob storage; it dials OUT over 443 only and opens no port;
 * - local: an HTTPS listener on this machine (development, tests, diagnosis).
 */

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;
export interface RunningTransport {
  /** where the cloud reaches the relay */
  url: string;
  close(): Promise<void>;
}

/**
 * What Node's HTTP parser refuses before any handler runs (a header over 16 KB, bytes that are no
 * HTTP, a broken Content-Length) is answered like every other refusal: JSON with a Dutch melding.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (err.code === "ECONNRESET" && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const body = JSON.stringify(tooLarge ? { error: "TOO_LARGE", melding: "Verzoek heeft te grote kopregels" } : { error: "BAD_REQUEST", melding: "Verzoek is geen geldig HTTP-verzoek" });
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * The local HTTPS listener. With `clientCa`, mutual TLS is required on top of the request signatures:
 * a client without a certificate from that CA does not get past the handshake.
 */
export async function startLocalTransport(h: Handler, o: { host: string; port: number; cert: string; key: string; clientCa?: string }): Promise<RunningTransport> {
  const mtls = o.clientCa ? { requestCert: true, rejectUnauthorized: true, ca: o.clientCa } : {};
  const server = createServer({ cert: o.cert, key: o.key, minVersion: "TLSv1.2", ...mtls }, h);
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  return {
    url: `https://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
