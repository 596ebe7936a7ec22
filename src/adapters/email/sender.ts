import { EmailClient, type EmailClientOptions, type KnownEmailSendStatus } from "@azure/communication-email";
import type { TokenCredential } from "@azure/core-auth";

/**
 * Sends an e-mail through Azure Communication Services Email (`@azure/communication-email`): in Azure
 * with the app's managed identity against the resource's endpoint, on the local stack with the
 * stand-in's connection string (emulators/email). Waits until ACS has accepted the message.
 */

export interface OutgoingEmail {
  to: readonly string[];
  onderwerp: string;
  tekst: string;
  html: string;
}

export interface EmailSender {
  /** Resolves with ACS's operation id once the message is accepted; throws EmailRefusedError when ACS answered no. */
  send(mail: OutgoingEmail): Promise<string>;
}

/** ACS answered, and the answer was no: nothing was accepted, sending again is safe. */
export class EmailRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "EmailRefusedError";
  }
}

export type EmailConnection = { connectionString: string } | { endpoint: string; credential: TokenCredential };

export function createEmailSender(o: EmailConnection & { senderAddress: string; pollIntervalMs?: number; clientOptions?: EmailClientOptions }): EmailSender {
  const options = o.clientOptions ?? {};
  const client = "connectionString" in o ? new EmailClient(o.connectionString, options) : new EmailClient(o.endpoint, o.credential, options);
  return {
    async send(mail) {
      let poller;
      try {
        poller = await client.beginSend(
          {
            senderAddress: o.senderAddress,
            content: { subject: mail.onderwerp, plainText: mail.tekst, html: mail.html },
            recipients: { to: mail.to.map((address) => ({ address })) },
          },
          { updateIntervalInMs: o.pollIntervalMs ?? 2000 },
        );
      } catch (e) {
        // a status code means ACS answered (and refused); without one we cannot know whether it arrived
        const r = e as { name?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
        if (r.name === "RestError" && typeof r.statusCode === "number") throw new EmailRefusedError(`ACS Email refused the message (${r.statusCode}): ${String(r.message)}`, typeof r.code === "string" ? r.code : null);
        throw e;
      }
      const result = await poller.pollUntilDone();
      const status: KnownEmailSendStatus | string = result.status;
      if (status !== "Succeeded") throw new Error(`ACS Email send operation ${result.id} ended ${status}: ${result.error?.message ?? ""}`);
      return result.id;
    },
  };
}
