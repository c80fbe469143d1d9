import { describe, expect, it } from 'vitest';
import { compositeLayers } from '../../../../functions/domain/foveate/index.js';

const solid = (widthPx: number, heightPx: number, value: number) => new Uint8Array(widthPx * heightPx).fill(value);

describe('compositeLayers', () => {
  it('reproduces a texture that covers the output exactly, pixel for pixel', () => {
    const pixels = Uint8Array.from({ length: 12 }, (_, index) => index * 20);
    const out = compositeLayers([{ rect: [0, 0, 1, 1], textureRect: [0, 0, 1, 1], widthPx: 4, heightPx: 3, channels: 1, pixels }], {
      widthPx: 4,
      heightPx: 3,
      channels: 1,
    });
    expect(Array.from(out)).toEqual(Array.from(pixels));
  });

  it('paints later (finer) layers over earlier ones, only inside their rect, sampling through textureRect', () => {
    const base = {
      rect: [0, 0, 1, 1] as const,
      textureRect: [0, 0, 1, 1] as const,
      widthPx: 2,
      heightPx: 2,
      channels: 1,
      pixels: solid(2, 2, 10),
    };
    // A tile showing the right half, whose texture (with overlap) spans a bit more.
    const tile = {
      rect: [0.5, 0, 1, 1] as const,
      textureRect: [0.25, 0, 1, 1] as const,
      widthPx: 6,
      heightPx: 8,
      channels: 1,
      pixels: solid(6, 8, 200),
    };
    const out = compositeLayers([base, tile], { widthPx: 8, heightPx: 2, channels: 1 });
    expect(Array.from(out.subarray(0, 8))).toEqual([10, 10, 10, 10, 200, 200, 200, 200]);
  });
});
