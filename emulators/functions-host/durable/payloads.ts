import type { ContainerClient } from "@azure/storage-blob";

/** Longest string kept inline in a Table property (64 KiB = 32K UTF-16 chars; margin for the rest). */
export const maxInlineChars = 30_000;

/**
 * Stores text inline when it fits the Table/queue limits, else as a blob and returns a reference
 * `blob:<name>`. Readers call `load` to get the text back either way.
 */
export class PayloadStore {
  constructor(
    private readonly container: ContainerClient,
    private readonly count: () => void,
  ) {}

  async save(name: string, text: string | undefined, limit = maxInlineChars): Promise<string | undefined> {
    if (text === undefined || text.length <= limit) return text === undefined ? undefined : `i:${text}`;
    this.count();
    await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    return `blob:${name}`;
  }

  async load(stored: string | undefined): Promise<string | undefined> {
    if (stored === undefined) return undefined;
    if (stored.startsWith("i:")) return stored.slice(2);
    if (!stored.startsWith("blob:")) return stored;
    this.count();
    const buf = await this.container.getBlockBlobClient(stored.slice(5)).downloadToBuffer();
    return buf.toString("utf8");
  }

  async deletePrefix(prefix: string): Promise<void> {
    for await (const b of this.container.listBlobsFlat({ prefix })) {
      this.count();
      await this.container.deleteBlob(b.name);
    }
  }
}
