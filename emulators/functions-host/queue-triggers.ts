import type { QueueClient } from "@azure/storage-queue";
import type { RegisteredFunction, RpcTypedData } from "./core-api.js";
import { Poller } from "./durable/poller.js";
import { resolveSetting, type HostSettings } from "./host-config.js";
import type { HostLogger } from "./logger.js";
import type { QueueClients } from "./storage-clients.js";

export type RunQueueMessage = (fn: RegisteredFunction, trigger: RpcTypedData, metadata: Record<string, RpcTypedData>) => Promise<void>;

const leaseMs = 10 * 60_000;

/**
 * Storage queue triggers as the WebJobs queue listener runs them: polls with back-off (100 ms up to
 * host.json maxPollingInterval), takes batchSize messages at a time, decodes per messageEncoding,
 * makes failed messages visible again after visibilityTimeout, and moves a message that failed
 * maxDequeueCount times to `<queue>-poison`.
 */
export class QueueTriggerListener {
  private readonly pollers: Poller[] = [];

  constructor(
    private readonly queues: QueueClients,
    private readonly settings: HostSettings["queues"],
    private readonly run: RunQueueMessage,
    private readonly logger: HostLogger,
    private readonly minPollMs = 100,
  ) {}

  async start(functions: RegisteredFunction[], env: Record<string, string | undefined>): Promise<void> {
    for (const fn of functions) {
      const name = resolveSetting(String(fn.trigger.queueName), env);
      const queue = this.queues.get(fn.trigger.connection, name);
      await this.queues.ensure(queue);
      const poison = this.queues.get(fn.trigger.connection, `${name}-poison`);
      const poller = new Poller(() => this.step(fn, queue, poison), this.minPollMs, Math.max(this.minPollMs, this.settings.maxPollingIntervalMs), (err) =>
        this.logger.log({ level: "error", category: "host", functionName: fn.name, message: `Queue listener error: ${(err as Error).message}` }),
      );
      this.pollers.push(poller);
      poller.start();
      this.logger.host("information", `Queue trigger '${fn.name}' listens on '${name}'.`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
  }

  private async step(fn: RegisteredFunction, queue: QueueClient, poison: QueueClient): Promise<boolean> {
    this.queues.requestCount++;
    const res = await queue.receiveMessages({ numberOfMessages: this.settings.batchSize, visibilityTimeout: leaseMs / 1000 });
    if (res.receivedMessageItems.length === 0) return false;
    await Promise.all(
      res.receivedMessageItems.map(async (m) => {
        const text = this.settings.messageEncoding === "base64" ? Buffer.from(m.messageText, "base64").toString("utf8") : m.messageText;
        const metadata: Record<string, RpcTypedData> = {
          Id: { string: m.messageId },
          DequeueCount: { int: m.dequeueCount },
          InsertionTime: { string: m.insertedOn.toISOString() },
          ExpirationTime: { string: m.expiresOn.toISOString() },
          NextVisibleTime: { string: m.nextVisibleOn.toISOString() },
          PopReceipt: { string: m.popReceipt },
          QueueTrigger: { string: text },
        };
        try {
          await this.run(fn, { string: text }, metadata);
          this.queues.requestCount++;
          await queue.deleteMessage(m.messageId, m.popReceipt);
        } catch (err) {
          await this.fail(fn, queue, poison, m, err);
        }
      }),
    );
    return true;
  }

  private async fail(fn: RegisteredFunction, queue: QueueClient, poison: QueueClient, m: { messageId: string; popReceipt: string; dequeueCount: number; messageText: string }, err: unknown): Promise<void> {
    const message = (err as Error).message ?? String(err);
    if (m.dequeueCount >= this.settings.maxDequeueCount) {
      await this.queues.ensure(poison);
      this.queues.requestCount += 2;
      await poison.sendMessage(m.messageText);
      await queue.deleteMessage(m.messageId, m.popReceipt);
      this.logger.log({ level: "warning", category: "host", functionName: fn.name, message: `Message ${m.messageId} failed ${m.dequeueCount} times (${message}); moved to '${poison.name}'.` });
    } else {
      this.queues.requestCount++;
      await queue.updateMessage(m.messageId, m.popReceipt, undefined, Math.ceil(this.settings.visibilityTimeoutMs / 1000));
    }
  }
}
