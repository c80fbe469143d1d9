import type { NormalizedRect } from '../../../functions/domain/foveate/index.js';

/** Changes kept; a reader further behind than this repaints everything. */
const keptChanges = 64;
/** Beyond this many separate rects, their bounding box is cheaper to repaint than each in turn. */
const maxSeparateRects = 6;

/**
 * Which parts of an image changed since a version: lets a copy of it (a
 * WebXR layer's texture, one per swapchain image) be brought up to date by
 * repainting only those parts. Each change is one version and the rects
 * (fractions of the source) it touched.
 */
export class ChangeLog {
  private current = 0;
  private readonly changes: { version: number; rects: readonly NormalizedRect[] }[] = [];

  get version(): number {
    return this.current;
  }

  record(rects: readonly NormalizedRect[]): void {
    this.current += 1;
    this.changes.push({ version: this.current, rects });
    if (this.changes.length > keptChanges) this.changes.shift();
  }

  /**
   * What to repaint for a copy last brought up to `version` (undefined: never
   * painted): no rects when it is current, the whole image when the log no
   * longer reaches back that far, else the rects changed since, or their
   * bounding box when there are many.
   */
  regionsSince(version: number | undefined): NormalizedRect[] {
    if (version === this.current) return [];
    const oldestKept = this.changes[0]?.version ?? this.current + 1;
    if (version === undefined || version < oldestKept - 1) return [[0, 0, 1, 1]];
    const rects = dedupe(this.changes.filter((change) => change.version > version).flatMap((change) => change.rects));
    return rects.length > maxSeparateRects ? [boundingBox(rects)] : rects;
  }
}

function boundingBox(rects: readonly NormalizedRect[]): NormalizedRect {
  return [
    Math.min(...rects.map((rect) => rect[0])),
    Math.min(...rects.map((rect) => rect[1])),
    Math.max(...rects.map((rect) => rect[2])),
    Math.max(...rects.map((rect) => rect[3])),
  ];
}

function dedupe(rects: readonly NormalizedRect[]): NormalizedRect[] {
  const seen = new Set<string>();
  return rects.filter((rect) => {
    const key = rect.join();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
