import { randomBytes } from 'node:crypto';

/** Where a blob went: its pack's key and its byte offset there. */
export interface BlobPlace {
  key: string;
  offset: number;
}

export interface BuiltPack {
  key: string;
  bytes: Uint8Array;
}

/**
 * Packs the blobs one commit writes (lists, deltas, pages) into as few
 * objects as it can, each at most `maxBytes` (a blob larger than that gets a
 * pack of its own). Keys carry the generation and a nonce chosen per
 * attempt, so a page can name the pack it is packed in, and a commit that
 * lost the manifest race never writes over the winner's objects.
 */
export class PackBuilder {
  private readonly nonce = randomBytes(6).toString('hex');
  private readonly closed: BuiltPack[] = [];
  private packsClosed = 0;
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly keyOf: (generation: number, nonce: string, pack: number) => string,
    private readonly generation: number,
    private readonly maxBytes: number,
  ) {}

  add(blob: Uint8Array): BlobPlace {
    if (this.size > 0 && this.size + blob.length > this.maxBytes) this.close();
    const offset = this.size;
    this.parts.push(blob);
    // Blobs start 8-aligned, so their float arrays can be viewed in place.
    const padding = (8 - (blob.length % 8)) % 8;
    if (padding > 0) this.parts.push(new Uint8Array(padding));
    this.size += blob.length + padding;
    return { key: this.currentKey(), offset };
  }

  /** The packs closed since the last call (full ones), so they can be written while the commit goes on. */
  takeClosed(): BuiltPack[] {
    return this.closed.splice(0);
  }

  /** The packs not yet taken, the open one closed. */
  finish(): BuiltPack[] {
    if (this.size > 0) this.close();
    return this.takeClosed();
  }

  private currentKey(): string {
    return this.keyOf(this.generation, this.nonce, this.packsClosed);
  }

  private close(): void {
    this.closed.push({ key: this.currentKey(), bytes: Buffer.concat(this.parts, this.size) });
    this.packsClosed += 1;
    this.parts = [];
    this.size = 0;
  }
}
