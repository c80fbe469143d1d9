import { fitPanelMeters } from './fitPanelMeters.js';

/**
 * The gallery is a band of rows on a cylinder around the viewer's eye, so in a
 * headset every panel faces you at the same distance. A few items sit in a
 * comfortable arc ahead (no head turning); more items add rows, then widen the
 * arc up to the full circle, then shrink the panels so everything still fits.
 */
export interface GalleryLayoutOptions {
  /** Distance from the eye axis to every panel. */
  radiusMeters: number;
  /** Height of the middle of the band; a little under eye height is comfortable. */
  centerHeightMeters: number;
  /** Panels tilt to face this height, so rows above and below still face the eye. */
  eyeHeightMeters: number;
  /** The box each panel is fitted into (keeping its aspect), before any shrinking. */
  cellWidthMeters: number;
  cellHeightMeters: number;
  gapMeters: number;
  /** Columns spread no wider than this while rows are still available. */
  comfortArcRadians: number;
  maxRows: number;
}

export interface PanelPlacement {
  index: number;
  row: number;
  column: number;
  /** Centre of the panel; the panel faces the eye axis. */
  xMeters: number;
  yMeters: number;
  zMeters: number;
  /** Rotation about +Y; 0 faces +Z (toward a viewer looking down -Z). */
  yawRadians: number;
  /** Then about the panel's own X axis (Euler order YXZ); positive tips a panel above the eye down toward it. */
  pitchRadians: number;
  /** Angle of the panel's centre from straight ahead (-Z), positive to the right. */
  azimuthRadians: number;
  widthMeters: number;
  heightMeters: number;
}

export interface GalleryLayout {
  rows: number;
  columns: number;
  /** 1 unless the panels had to shrink to fit the full circle. */
  scale: number;
  placements: PanelPlacement[];
}

export interface PixelSize {
  widthPx: number;
  heightPx: number;
}

const defaults: GalleryLayoutOptions = {
  radiusMeters: 2.6,
  centerHeightMeters: 1.5,
  eyeHeightMeters: 1.6,
  cellWidthMeters: 0.8,
  cellHeightMeters: 0.6,
  gapMeters: 0.12,
  comfortArcRadians: (110 * Math.PI) / 180,
  maxRows: 3,
};

/** Row-major placements (index = reading order), each row centred straight ahead. */
export function galleryLayout(sizes: readonly PixelSize[], overrides: Partial<GalleryLayoutOptions> = {}): GalleryLayout {
  const options = { ...defaults, ...overrides };
  const count = sizes.length;
  if (count === 0) return { rows: 0, columns: 0, scale: 1, placements: [] };

  const stepRadians = (options.cellWidthMeters + options.gapMeters) / options.radiusMeters;
  const comfortColumns = Math.floor(options.comfortArcRadians / stepRadians) + 1;
  let rows = count <= comfortColumns * options.maxRows ? Math.ceil(count / comfortColumns) : options.maxRows;
  const columns = Math.ceil(count / rows);
  rows = Math.ceil(count / columns);
  const scale = Math.min(1, (2 * Math.PI) / (columns * stepRadians));

  const rowPitchMeters = (options.cellHeightMeters + options.gapMeters) * scale;
  const placements = sizes.map((size, index): PanelPlacement => {
    const row = Math.floor(index / columns);
    const column = index % columns;
    const columnsInRow = Math.min(columns, count - row * columns);
    const azimuthRadians = (column - (columnsInRow - 1) / 2) * stepRadians * scale;
    const { widthMeters, heightMeters } = fitPanelMeters(
      size.widthPx,
      size.heightPx,
      options.cellWidthMeters * scale,
      options.cellHeightMeters * scale,
    );
    const yMeters = options.centerHeightMeters + ((rows - 1) / 2 - row) * rowPitchMeters;
    return {
      index,
      row,
      column,
      xMeters: Math.sin(azimuthRadians) * options.radiusMeters,
      yMeters,
      zMeters: -Math.cos(azimuthRadians) * options.radiusMeters,
      yawRadians: -azimuthRadians,
      pitchRadians: Math.atan2(yMeters - options.eyeHeightMeters, options.radiusMeters),
      azimuthRadians,
      widthMeters,
      heightMeters,
    };
  });
  return { rows, columns, scale, placements };
}
