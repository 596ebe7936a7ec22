import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";

/**
 * Queue clients by (connection setting, queue name). A binding's `connection` names an app setting
 * holding a connection string; missing or "AzureWebJobsStorage" means the host's storage account.
 */
export class QueueClients {
  private readonly services = new Map<string, QueueServiceClient>();
  private readonly created = new Set<string>();
  requestCount = 0;

  constructor(
    private readonly defaultConnection: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  get(connection: unknown, queueName: string): QueueClient {
    const setting = typeof connection === "string" && connection ? connection : "AzureWebJobsStorage";
    const cs = this.env[setting] ?? this.env[`${setting}__connectionString`] ?? this.defaultConnection;
    let svc = this.services.get(cs);
    if (!svc) {
      svc = QueueServiceClient.fromConnectionString(cs);
      this.services.set(cs, svc);
    }
    return svc.getQueueClient(queueName);
  }

  /** Creates the queue once per process (the real host creates output and poison queues on demand). */
  async ensure(queue: QueueClient): Promise<void> {
    if (this.created.has(queue.url)) return;
    this.requestCount++;
    await queue.createIfNotExists();
    this.created.add(queue.url);
  }
}
