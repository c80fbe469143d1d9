import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from '../helpers/stackUnderTest.js';

/**
 * The template's resource types and how many of each, against the snapshot in
 * templateShape.json (taken before the stage table replaced the hand-built
 * queues and functions). A change here is a change in what `cdk deploy`
 * creates: update the snapshot only on purpose, and say why in the commit.
 */
const snapshot = JSON.parse(readFileSync(new URL('./templateShape.json', import.meta.url), 'utf8')) as Record<string, number>;

describe('the synthesized template', () => {
  it('creates the resource types and counts of the snapshot', () => {
    const counts: Record<string, number> = {};
    for (const resource of Object.values(synthesizeStack().resources)) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
    expect(counts).toEqual(snapshot);
  });
});
