import { describe, expect, it } from 'vitest';
import { ChangeJournal } from '../../../../functions/domain/vq/changeJournal.js';
import { ItemTable } from '../../../../functions/domain/vq/itemTable.js';

describe('ChangeJournal', () => {
  it('records puts and deletes until taken; a put of a deleted id revives it', () => {
    const journal = new ChangeJournal();
    expect(journal.hasChanges).toBe(false);
    journal.delete('b');
    journal.delete('a');
    journal.put(1, 'a');
    journal.put(2, 'c');
    journal.forget(2);
    expect(journal.take()).toEqual({ items: [1], deletes: ['b'] });
    expect(journal.hasChanges).toBe(false);
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
