/** What changed since the last take(): the items a delta segment must record, and the ids it must tombstone. */
export class ChangeJournal {
  private readonly items = new Set<number>();
  private readonly deletedIds = new Set<string>();

  get hasChanges(): boolean {
    return this.items.size > 0 || this.deletedIds.size > 0;
  }

  /** An item was inserted, replaced or moved to another list. */
  put(item: number, id: string): void {
    this.items.add(item);
    this.deletedIds.delete(id);
  }

  /** An item's number is going away (its id may come back as a put). */
  forget(item: number): void {
    this.items.delete(item);
  }

  delete(id: string): void {
    this.deletedIds.add(id);
  }

  take(): { items: number[]; deletes: string[] } {
    const taken = { items: [...this.items], deletes: [...this.deletedIds].sort() };
    this.clear();
    return taken;
  }

  clear(): void {
    this.items.clear();
    this.deletedIds.clear();
  }
}
