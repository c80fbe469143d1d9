export interface PanelSizeMeters {
  widthMeters: number;
  heightMeters: number;
}

/**
 * The largest panel with the picture's aspect (widthPx : heightPx) that fits
 * inside maxWidthMeters x maxHeightMeters. A size without pixels (0 or not a
 * number) is drawn square, so a broken manifest still gets a visible panel.
 */
export function fitPanelMeters(widthPx: number, heightPx: number, maxWidthMeters: number, maxHeightMeters: number): PanelSizeMeters {
  const aspect = widthPx > 0 && heightPx > 0 && Number.isFinite(widthPx / heightPx) ? widthPx / heightPx : 1;
  const widthAtMaxHeight = maxHeightMeters * aspect;
  return widthAtMaxHeight <= maxWidthMeters
    ? { widthMeters: widthAtMaxHeight, heightMeters: maxHeightMeters }
    : { widthMeters: maxWidthMeters, heightMeters: maxWidthMeters / aspect };
}
