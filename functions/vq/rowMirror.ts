import { instantiateScoreKernel, kernelDimensionMultiple, scoreKernelAvailable, type ScoreRowsKernel } from './scoreKernel.js';

interface Block {
  /** Byte offset in the wasm memory. */
  offset: number;
  capacityRows: number;
  /** The owner's version of the rows this block holds. */
  version: number;
}

const pageBytes = 65_536;
/** When blocks abandoned by growth outweigh live ones by this much, everything is copied afresh. */
const wasteFactor = 2;

/**
 * Copies of row blocks (a posting list, a codebook) in WebAssembly memory,
 * where the SIMD kernel scores them. A cache: the owner's Float32Arrays stay
 * the truth, every block carries the owner's version of it, and a block whose
 * version moved on is copied again the next time it is scored, so scoring is
 * never wrong and the algorithms above never see wasm memory.
 */
export class RowMirror {
  private memory: WebAssembly.Memory | undefined;
  private kernel: ScoreRowsKernel | undefined;
  private floats = new Float32Array(0);
  private readonly blocks = new Map<number, Block>();
  private readonly queryBytes: number;
  /** Scores are written right after the query; blocks start after both. */
  private outCapacity = 0;
  private nextFree = 0;
  private liveBytes = 0;
  /** False without WebAssembly SIMD or for dimensions the kernel does not take: callers use their JavaScript loop. */
  readonly usable: boolean;

  constructor(readonly dimension: number) {
    this.queryBytes = dimension * 4;
    this.usable = scoreKernelAvailable && dimension % kernelDimensionMultiple === 0;
  }

  /**
   * out[i] = query · rows[i] for rows 0..count-1 of the owner's block `key`
   * at `version`; false (nothing done) when not usable.
   */
  score(key: number, version: number, rows: Float32Array, count: number, query: Float32Array, out: Float32Array): boolean {
    if (!this.usable) return false;
    if (count === 0) return true;
    if (count > this.outCapacity) this.startOver(Math.max(count, 2 * this.outCapacity));
    const block = this.synced(key, version, rows, count);
    this.floats.set(query.subarray(0, this.dimension), 0);
    this.kernel!(0, block.offset, count, this.queryBytes, this.queryBytes);
    const first = this.queryBytes >> 2;
    out.set(this.floats.subarray(first, first + count));
    return true;
  }

  private synced(key: number, version: number, rows: Float32Array, count: number): Block {
    let block = this.blocks.get(key);
    if (block && block.version === version && block.capacityRows >= count) return block;
    if (!block || block.capacityRows < count) {
      if (block) this.liveBytes -= block.capacityRows * this.queryBytes;
      const capacityRows = Math.max(count, Math.floor(rows.length / this.dimension));
      block = { offset: this.allocate(capacityRows * this.queryBytes), capacityRows, version };
      this.blocks.set(key, block);
      this.liveBytes += capacityRows * this.queryBytes;
    }
    this.floats.set(rows.subarray(0, count * this.dimension), block.offset >> 2);
    block.version = version;
    return block;
  }

  /** Forgets every block (each is copied again when next scored) and lays out the query and a score area of this size. */
  private startOver(outCapacity: number): void {
    this.blocks.clear();
    this.liveBytes = 0;
    this.outCapacity = outCapacity;
    this.nextFree = this.queryBytes + outCapacity * 4;
    this.reserve(this.nextFree);
  }

  /** Bump allocation; blocks abandoned by growth are reclaimed by starting over once they dominate. */
  private allocate(bytes: number): number {
    const available = this.memory?.buffer.byteLength ?? 0;
    const headerBytes = this.queryBytes + this.outCapacity * 4;
    if (this.nextFree + bytes > available && this.nextFree - headerBytes > wasteFactor * this.liveBytes + pageBytes) this.startOver(this.outCapacity);
    const offset = this.nextFree;
    this.nextFree += bytes;
    this.reserve(this.nextFree);
    return offset;
  }

  private reserve(bytes: number): void {
    if (!this.memory) {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / pageBytes) });
      this.kernel = instantiateScoreKernel(this.memory);
      this.floats = new Float32Array(this.memory.buffer);
    }
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing <= 0) return;
    // Grow by at least half again, so a growing index does not grow the memory on every list.
    this.memory.grow(Math.max(Math.ceil(missing / pageBytes), Math.ceil(this.memory.buffer.byteLength / pageBytes / 2)));
    this.floats = new Float32Array(this.memory.buffer);
  }
}
