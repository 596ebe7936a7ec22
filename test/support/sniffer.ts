import { createServer, connect as tcpConnect, type Server } from "node:net";

/** A TCP relay between a client and a local server that keeps what the client sent, to see what crossed the wire (clear text or encrypted). */
export async function sniffer(port: number): Promise<{ port: number; sent: () => Buffer; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const proxy: Server = createServer((client) => {
    const upstream = tcpConnect(port, "127.0.0.1");
    client.on("data", (d: Buffer) => chunks.push(Buffer.from(d)));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    sent: () => Buffer.concat(chunks),
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}
