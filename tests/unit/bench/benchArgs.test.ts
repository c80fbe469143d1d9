import { afterEach, describe, expect, it } from 'vitest';
import { numberArg, stringArg } from '../../../bench/benchArgs.js';

const argv = process.argv;

describe('bench arguments', () => {
  afterEach(() => {
    process.argv = argv;
  });

  it('reads --name value, falls back when absent, and refuses what is not a positive number', () => {
    process.argv = ['node', 'bench.ts', '--rounds', '3', '--only', '1080p', '--reps', 'x', '--uploads', '-5'];
    expect(numberArg('rounds', 2)).toBe(3);
    expect(numberArg('frames', 4)).toBe(4);
    expect(stringArg('only')).toBe('1080p');
    expect(stringArg('skip')).toBeUndefined();
    expect(() => numberArg('reps', 3)).toThrow('--reps takes a positive number, got "x"');
    expect(() => numberArg('uploads', 300)).toThrow('--uploads takes a positive number, got "-5"');
    process.argv = ['node', 'bench.ts', '--rounds'];
    expect(() => numberArg('rounds', 2)).toThrow('--rounds takes a positive number, got undefined');
  });
});
