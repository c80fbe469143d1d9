import { scoreRows } from './dotProducts.js';
import { RowMirror } from './rowMirror.js';

/**
 * Scores many queries against one small block of float32 rows (a split's
 * members, a repair's candidate centroids) in the SIMD kernel: the block is
 * copied into wasm memory once per load(), each query once per score().
 * Falls back to the JavaScript loop where the kernel does not apply.
 */
export class BlockScorer {
  private readonly mirror: RowMirror;
  private rows: Float32Array = new Float32Array(0);
  private count = 0;
  private version = 0;

  constructor(readonly dimension: number) {
    this.mirror = RowMirror.forFloatRows(dimension);
  }

  /** The rows to score against (kept by reference until the next load). */
  load(rows: Float32Array, count: number): void {
    this.rows = rows;
    this.count = count;
    this.version += 1;
  }

  /** out[i] = query · row i. */
  score(query: Float32Array, out: Float32Array): void {
    if (!this.mirror.score(0, this.version, this.rows, this.count, query, out))
      scoreRows(query, this.rows, this.count, this.dimension, out);
  }
}

/** One BlockScorer per row length, made on first use (splits score rows of the dimension and, transposed, of the member count). */
export class BlockScorers {
  private readonly byLength = new Map<number, BlockScorer>();

  forRowLength(length: number): BlockScorer {
    let scorer = this.byLength.get(length);
    if (!scorer) this.byLength.set(length, (scorer = new BlockScorer(length)));
    return scorer;
  }
}
