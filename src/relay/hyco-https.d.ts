/**
 * The part of hyco-https (Azure Relay Hybrid Connections listener, untyped CommonJS) the relay uses.
 * Its functions hang off module.exports (Node's https module, extended), so ESM sees them only on
 * the default export.
 */
declare module "hyco-https" {
  import type { EventEmitter } from "node:events";
  import type { IncomingMessage, ServerResponse } from "node:http";
  export interface RelayedServer extends EventEmitter {
    listen(): void;
    close(callback?: (err: Error | null) => void): void;
  }
  interface HycoHttps {
    createRelayListenUri(namespace: string, path: string): string;
    createRelayToken(uri: string, keyName: string, key: string, expirationSeconds?: number): string;
    createRelayedServer(
      options: { server: string; token: string | (() => string) },
      handler: (req: IncomingMessage, res: ServerResponse) => void,
    ): RelayedServer;
  }
  const hyco: HycoHttps;
  export default hyco;
}
