/**
 * Item ids and their dense numbers (reused after deletes), each with its
 * insertion sequence number: the order that makes a list's members canonical.
 */
export class ItemTable {
  private readonly numbers = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private seqs = new Float64Array(1024);
  private readonly free: number[] = [];

  get size(): number {
    return this.numbers.size;
  }

  numberOf(id: string): number | undefined {
    return this.numbers.get(id);
  }

  idOf(item: number): string {
    return this.ids[item]!;
  }

  seqOf(item: number): number {
    return this.seqs[item]!;
  }

  allocate(id: string, seq: number): number {
    let item = this.free.pop();
    if (item === undefined) {
      item = this.ids.length;
      this.ids.push(undefined);
      if (item >= this.seqs.length) {
        const seqs = new Float64Array(this.seqs.length * 2);
        seqs.set(this.seqs);
        this.seqs = seqs;
      }
    }
    this.ids[item] = id;
    this.seqs[item] = seq;
    this.numbers.set(id, item);
    return item;
  }

  release(item: number): void {
    this.numbers.delete(this.ids[item]!);
    this.ids[item] = undefined;
    this.free.push(item);
  }

  /** Items sorted by insertion sequence (a canonical order for anything order-dependent). */
  bySeq(items: ArrayLike<number>, count = items.length): number[] {
    return Array.from({ length: count }, (_, i) => items[i]!).sort((a, b) => this.seqs[a]! - this.seqs[b]!);
  }

  /** Bytes held: sequence numbers, and ids at two bytes per character plus the map's entry (about 40 bytes). */
  memoryBytes(): number {
    let bytes = this.seqs.byteLength + this.ids.length * 8;
    for (const id of this.numbers.keys()) bytes += 2 * id.length + 40;
    return bytes;
  }
}
