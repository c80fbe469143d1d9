import { describe, expect, it } from 'vitest';
import { ChangeJournal } from '../../../../functions/domain/vq/changeJournal.js';
import { ItemTable } from '../../../../functions/domain/vq/itemTable.js';

describe('ChangeJournal', () => {
  it('records the touched lists once each until taken, ascending', () => {
    const journal = new ChangeJournal();
    expect(journal.hasChanges).toBe(false);
    journal.touch(5);
    journal.touch(2);
    journal.touch(5);
    expect(journal.hasChanges).toBe(true);
    expect(journal.take()).toEqual([2, 5]);
    expect(journal.hasChanges).toBe(false);
    expect(journal.take()).toEqual([]);
  });
});

describe('ItemTable', () => {
  it('numbers ids densely, reuses released numbers, and sorts items by insertion sequence', () => {
    const table = new ItemTable();
    const a = table.allocate('a', 5);
    const b = table.allocate('b', 2);
    table.release(a);
    const c = table.allocate('c', 9);
    expect(c).toBe(a);
    expect(table.numberOf('a')).toBeUndefined();
    expect(table.idOf(c)).toBe('c');
    expect(table.size).toBe(2);
    expect(table.bySeq([c, b])).toEqual([b, c]);
    expect(table.memoryBytes()).toBeGreaterThan(0);
  });
});
