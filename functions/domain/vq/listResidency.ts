/**
 * Which lists a lazily opened index holds whole in memory (the writer's
 * view of a large shard): per list, how many of its stored entries are not
 * in memory, and for every item not in memory, its list, so an upsert or a
 * delete knows which list to read. An index built in memory has every list
 * whole and nothing here.
 */
export class ListResidency {
  private absent = new Int32Array(16);
  private absentTotal = 0;
  /** Items not in memory: id → list. */
  private readonly directory = new Map<string, number>();

  /** Stored entries of a list that are not in memory. */
  absentCount(list: number): number {
    return list < this.absent.length ? this.absent[list]! : 0;
  }

  isWhole(list: number): boolean {
    return this.absentCount(list) === 0;
  }

  /** Items not in memory, over every list. */
  get absentItems(): number {
    return this.absentTotal;
  }

  /** The list of an item that is not in memory, or undefined. */
  listOf(id: string): number | undefined {
    return this.directory.get(id);
  }

  /** These stored items of a list are not (or no longer) in memory. */
  markAbsent(list: number, ids: readonly string[]): void {
    this.ensure(list);
    for (const id of ids) this.directory.set(id, list);
    this.absent[list]! += ids.length;
    this.absentTotal += ids.length;
  }

  /** The list's stored items are in memory now: it is whole. */
  markWhole(list: number, ids: readonly string[]): void {
    for (const id of ids) this.directory.delete(id);
    this.absentTotal -= this.absentCount(list);
    if (list < this.absent.length) this.absent[list] = 0;
  }

  /** Bytes of the directory: ids at two bytes a character plus the map's entry (about 40 bytes). */
  memoryBytes(): number {
    let bytes = this.absent.byteLength;
    for (const id of this.directory.keys()) bytes += 2 * id.length + 40;
    return bytes;
  }

  private ensure(list: number): void {
    if (list < this.absent.length) return;
    const grown = new Int32Array(Math.max(list + 1, this.absent.length * 2));
    grown.set(this.absent);
    this.absent = grown;
  }
}
