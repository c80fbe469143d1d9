import {
  codeRowMultiple,
  instantiateScoreKernels,
  kernelDimensionMultiple,
  scoreKernelAvailable,
  type ScoreRowsKernel,
} from './scoreKernel.js';

interface Block {
  /** Byte offset in the wasm memory. */
  offset: number;
  capacityRows: number;
  /** The owner's version of the rows this block holds. */
  version: number;
}

type Rows = Float32Array | Uint8Array;

const pageBytes = 65_536;
/** Blocks start on a 16-byte boundary, so every v128 load of a row is aligned. */
const blockAlignment = 16;
/** When blocks abandoned by growth outweigh live ones by this much, everything is copied afresh. */
const wasteFactor = 2;

const byteView = (rows: ArrayBufferView, bytes: number) => new Uint8Array(rows.buffer, rows.byteOffset, bytes);
const aligned = (bytes: number) => Math.ceil(bytes / blockAlignment) * blockAlignment;

/**
 * Copies of row blocks (a posting list's codes, a codebook) in WebAssembly
 * memory, where a SIMD kernel scores them. A cache: the owner's arrays stay
 * the truth, every block carries the owner's version of it, and a block whose
 * version moved on is copied again the next time it is scored, so scoring is
 * never wrong and the algorithms above never see wasm memory.
 */
export class RowMirror {
  private memory: WebAssembly.Memory | undefined;
  private kernel: ScoreRowsKernel | undefined;
  private bytes = new Uint8Array(0);
  private readonly blocks = new Map<number, Block>();
  /** Scores are written right after the query; blocks start after both. */
  private outCapacity = 0;
  private nextFree = 0;
  private liveBytes = 0;
  /** False without WebAssembly SIMD or for rows the kernel does not take: callers use their JavaScript loop. */
  readonly usable: boolean;

  private constructor(
    readonly rowBytes: number,
    private readonly queryBytes: number,
    private readonly kernelName: 'scoreRows' | 'scoreCodes',
    rowMultiple: number,
  ) {
    this.usable = scoreKernelAvailable && rowBytes > 0 && rowBytes % rowMultiple === 0;
  }

  /** float32 rows of `dimension`, scored against a float32 query: out is a Float32Array. */
  static forFloatRows(dimension: number): RowMirror {
    return new RowMirror(dimension * 4, dimension * 4, 'scoreRows', kernelDimensionMultiple * 4);
  }

  /** uint8 code rows of `rowBytes` (padded to 16), scored against an int16 query of as many values: out is an Int32Array. */
  static forCodeRows(rowBytes: number): RowMirror {
    return new RowMirror(rowBytes, rowBytes * 2, 'scoreCodes', codeRowMultiple);
  }

  /**
   * out[i] = query · rows[i] for rows 0..count-1 of the owner's block `key`
   * at `version`; false (nothing done) when not usable.
   */
  score(key: number, version: number, rows: Rows, count: number, query: ArrayBufferView, out: Float32Array | Int32Array): boolean {
    return this.setQuery(query) && this.scoreAgainstQuery(key, version, rows, count, out);
  }

  /** Copies a query in for the scoreAgainstQuery calls that follow (several blocks, one query copy); false when not usable. */
  setQuery(query: ArrayBufferView): boolean {
    if (!this.usable) return false;
    if (!this.memory) this.startOver(this.outCapacity);
    this.bytes.set(byteView(query, this.queryBytes), 0);
    return true;
  }

  /** As score(), against the query last set. */
  scoreAgainstQuery(key: number, version: number, rows: Rows, count: number, out: Float32Array | Int32Array): boolean {
    if (!this.usable) return false;
    if (count === 0) return true;
    if (count > this.outCapacity) this.startOver(Math.max(count, 2 * this.outCapacity));
    const block = this.synced(key, version, rows, count);
    const outOffset = aligned(this.queryBytes);
    this.kernel!(0, block.offset, count, this.rowBytes, outOffset);
    const { buffer } = this.bytes;
    out.set(out instanceof Float32Array ? new Float32Array(buffer, outOffset, count) : new Int32Array(buffer, outOffset, count));
    return true;
  }

  /** Bytes of wasm memory this mirror holds. */
  memoryBytes(): number {
    return this.memory?.buffer.byteLength ?? 0;
  }

  private synced(key: number, version: number, rows: Rows, count: number): Block {
    let block = this.blocks.get(key);
    if (block && block.version === version && block.capacityRows >= count) return block;
    if (!block || block.capacityRows < count) {
      if (block) this.liveBytes -= block.capacityRows * this.rowBytes;
      const capacityRows = Math.max(count, Math.floor(rows.byteLength / this.rowBytes));
      block = { offset: this.allocate(capacityRows * this.rowBytes), capacityRows, version };
      this.blocks.set(key, block);
      this.liveBytes += capacityRows * this.rowBytes;
    }
    this.bytes.set(byteView(rows, count * this.rowBytes), block.offset);
    block.version = version;
    return block;
  }

  /** Forgets every block (each is copied again when next scored) and lays out the query and a score area of this size. */
  private startOver(outCapacity: number): void {
    this.blocks.clear();
    this.liveBytes = 0;
    this.outCapacity = outCapacity;
    this.nextFree = this.headerBytes();
    this.reserve(this.nextFree);
  }

  private headerBytes(): number {
    return aligned(aligned(this.queryBytes) + this.outCapacity * 4);
  }

  /** Bump allocation; blocks abandoned by growth are reclaimed by starting over once they dominate. */
  private allocate(bytes: number): number {
    const available = this.memory?.buffer.byteLength ?? 0;
    if (this.nextFree + bytes > available && this.nextFree - this.headerBytes() > wasteFactor * this.liveBytes + pageBytes)
      this.startOver(this.outCapacity);
    const offset = this.nextFree;
    this.nextFree = aligned(this.nextFree + bytes);
    this.reserve(this.nextFree);
    return offset;
  }

  private reserve(bytes: number): void {
    if (!this.memory) {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / pageBytes) });
      this.kernel = instantiateScoreKernels(this.memory)![this.kernelName];
      this.bytes = new Uint8Array(this.memory.buffer);
    }
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing <= 0) return;
    // Grow by at least half again, so a growing index does not grow the memory on every list.
    this.memory.grow(Math.max(Math.ceil(missing / pageBytes), Math.ceil(this.memory.buffer.byteLength / pageBytes / 2)));
    this.bytes = new Uint8Array(this.memory.buffer);
  }
}
