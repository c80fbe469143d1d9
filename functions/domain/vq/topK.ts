/**
 * A bounded min-heap of (score, id) pairs over typed arrays: the k best seen
 * so far, with the weakest at the root so a candidate is rejected in one compare.
 */
export class TopK {
  readonly scores: Float32Array;
  readonly ids: Int32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float32Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  /** The score a candidate must beat once the heap is full; -Infinity before. */
  get threshold(): number {
    return this.size < this.capacity ? -Infinity : this.scores[0]!;
  }

  push(score: number, id: number): void {
    const { scores, ids } = this;
    if (this.size < this.capacity) {
      let i = this.size;
      this.size += 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (scores[parent]! <= score) break;
        scores[i] = scores[parent]!;
        ids[i] = ids[parent]!;
        i = parent;
      }
      scores[i] = score;
      ids[i] = id;
      return;
    }
    if (score <= scores[0]!) return;
    const n = this.size;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && scores[right]! < scores[left]! ? right : left;
      if (scores[child]! >= score) break;
      scores[i] = scores[child]!;
      ids[i] = ids[child]!;
      i = child;
    }
    scores[i] = score;
    ids[i] = id;
  }

  /** Ids and scores, best first. */
  sorted(): { id: number; score: number }[] {
    const out: { id: number; score: number }[] = [];
    for (let i = 0; i < this.size; i += 1) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
