import { describe, expect, it } from 'vitest';
import { formatExpiry } from '../../../viewer/src/access/formatExpiry.js';

describe('formatExpiry', () => {
  it('writes a date and time a person reads', () => {
    const text = formatExpiry('2026-12-10T15:04:00.000Z', 'en-GB');
    expect(text).toContain('2026');
    expect(text).toContain('Dec');
  });

  it('shows what is not a date as it came', () => {
    expect(formatExpiry('soon')).toBe('soon');
  });
});
