/** The part of hyco-https (Azure Relay Hybrid Connections listener, untyped JS) the relay uses. */
declare module "hyco-https" {
  import type { EventEmitter } from "node:events";
  import type { IncomingMessage, ServerResponse } from "node:http";
  export interface RelayedServer extends EventEmitter {
    listen(): void;
    close(callback?: (err: Error | null) => void): void;
  }
  export function createRelayListenUri(namespace: string, path: string): string;
  export function createRelayToken(uri: string, keyName: string, key: string, expirationSeconds?: number): string;
  export function createRelayedServer(
    options: { server: string; token: string | (() => string) },
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): RelayedServer;
}
