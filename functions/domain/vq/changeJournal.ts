/** The lists whose members (or centroid bookkeeping) changed since the last take(): what a commit must rewrite. */
export class ChangeJournal {
  private readonly lists = new Set<number>();

  get hasChanges(): boolean {
    return this.lists.size > 0;
  }

  touch(list: number): void {
    this.lists.add(list);
  }

  /** The touched lists, ascending, and clears them. */
  take(): number[] {
    const taken = [...this.lists].sort((a, b) => a - b);
    this.clear();
    return taken;
  }

  clear(): void {
    this.lists.clear();
  }
}
