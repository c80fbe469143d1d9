import { foveationConfig } from '../../functions/config/viewerConfig.js';

/**
 * Where an opened flat item goes on a desktop, and how large: the panel
 * (planned at its surface's angles) is drawn at `scale` times its planned
 * tangents, as large as fits the view with a margin together with what
 * hangs below it (a video's seek bar, the neighbours' row), and never
 * larger than `maxDevicePxPerSourcePx` display pixels per source pixel.
 * The camera looks straight ahead, square to the panel (no keystone); the
 * panel is lifted in its plane (`liftTan`) so that it and its row are
 * centred in the view.
 */
export interface DesktopView {
  verticalFovDeg: number;
  /** Width ÷ height of the canvas. */
  aspect: number;
  /** The canvas's drawing buffer width: device pixels, devicePixelRatio included. */
  deviceWidthPx: number;
}

export interface OpenedContent {
  /** Tangents of the planned flat surface's half-width and half-height. */
  halfWidthTan: number;
  halfHeightTan: number;
  /** What hangs under the panel (a seek bar), in the same tangent units, scaled with it. */
  belowTan: number;
  /** The source's width in pixels. */
  sourceWidthPx: number;
  /** Reserve a row of this many neighbours under the panel (0: none). */
  neighbourCount: number;
}

export interface RowLayout {
  pitchDeg: number;
  stepDeg: number;
  /** The angle each cell spans across, and down. */
  cellWidthDeg: number;
  cellHeightDeg: number;
}

export interface OpenedLayout {
  /** Shown tangents ÷ planned tangents. */
  scale: number;
  /** How far the panel's centre is lifted above straight ahead, as a tangent (× distance: metres). */
  liftTan: number;
  /** The neighbours' row, under the panel. */
  row: RowLayout;
  /** The pitch range the view may be turned over: from the row's bottom to the panel's top. */
  contentPitchDeg: [number, number];
}

export interface LayoutRules {
  /** Of the view's half-size, in normalised device coordinates, kept clear at every side. */
  margin: number;
  /** The panel is never drawn with more device pixels than this per source pixel. */
  maxDevicePxPerSourcePx: number;
  /** The most the panel is shown at, against its planned angles: the configured panel's (1 unless planned smaller). */
  maxScale: number;
  /** Between the panel (or seek bar) and the row, and the row's cells' step, at most. */
  rowGapDeg: number;
  maxRowStepDeg: number;
  /**
   * The row spans at most this across: on its arc around the eye its ends would sink low in a wide
   * desktop view, and in a headset every neighbour stays within a glance (≤ 35° from the panel's centre).
   */
  maxRowSpanDeg: number;
  /** A cell spans this much of its step, and is this tall for its width. */
  cellFillOfStep: number;
  cellAspect: number;
}

export const desktopLayoutRules: LayoutRules = {
  margin: 0.05,
  maxDevicePxPerSourcePx: foveationConfig.surfaces.panel.maxDisplayPxPerSourcePx,
  maxScale: 1,
  rowGapDeg: 2,
  maxRowStepDeg: 17,
  maxRowSpanDeg: 56,
  cellFillOfStep: 0.85,
  cellAspect: 0.22 / 0.3,
};

const rad = Math.PI / 180;
const deg = 180 / Math.PI;

/**
 * The largest scale at which everything fits (bisection: fitting only gets harder as the panel grows),
 * checked by projecting the corners of the panel and of the row for a camera looking straight ahead.
 */
export function layOutOpened(view: DesktopView, content: OpenedContent, rules: LayoutRules = desktopLayoutRules): OpenedLayout {
  const tanHalfV = Math.tan((view.verticalFovDeg / 2) * rad);
  const tanHalfH = tanHalfV * view.aspect;
  const straightAhead = projector(tanHalfH, tanHalfV);
  const usableWidthDeg = 2 * Math.atan(tanHalfH * (1 - rules.margin)) * deg;
  const count = Math.max(0, content.neighbourCount);
  const { stepDeg, cellWidthDeg, cellHeightDeg } = rowCells(count, usableWidthDeg, rules);
  const rowGapTan = count > 0 ? Math.tan(rules.rowGapDeg * rad) : 0;
  const rowHeightTan = count > 0 ? Math.tan(cellHeightDeg * rad) : 0;
  const at = (scale: number) => {
    // Centred: as far above straight ahead as the row and seek bar reach below the panel.
    const liftTan = (scale * content.belowTan + rowGapTan + rowHeightTan) / 2;
    const topTan = liftTan + scale * content.halfHeightTan;
    const bottomTan = liftTan - scale * (content.halfHeightTan + content.belowTan);
    const rowTopDeg = Math.atan(bottomTan - rowGapTan) * deg;
    const rowBottomDeg = rowTopDeg - (count > 0 ? cellHeightDeg : 0);
    return { liftTan, topTan, bottomTan, rowTopDeg, rowBottomDeg };
  };
  const fits = (scale: number): boolean => {
    const { topTan, bottomTan, rowBottomDeg, rowTopDeg } = at(scale);
    const x = scale * content.halfWidthTan;
    const panelCorners = [-x, x].flatMap((side) => [topTan, bottomTan].map((y) => straightAhead.tangent(side, y)));
    const rowHalfSpanDeg = ((count - 1) / 2) * stepDeg + cellWidthDeg / 2;
    const rowCorners =
      count > 0
        ? [rowTopDeg, rowBottomDeg].flatMap((pitch) => [-rowHalfSpanDeg, 0, rowHalfSpanDeg].map((yaw) => straightAhead.angle(yaw, pitch)))
        : [];
    const limit = 1 - rules.margin;
    const inside = [...panelCorners, ...rowCorners].every((p) => p && Math.abs(p[0]) <= limit && Math.abs(p[1]) <= limit);
    return inside && scale <= scaleAtDevicePxPerSourcePx(view, content, rules.maxDevicePxPerSourcePx);
  };
  let low = 0;
  let high = rules.maxScale;
  if (fits(high)) low = high;
  else
    for (let step = 0; step < 40; step += 1) {
      const middle = (low + high) / 2;
      if (fits(middle)) low = middle;
      else high = middle;
    }
  const scale = Math.max(low, 1e-3);
  const { liftTan, topTan, rowTopDeg, rowBottomDeg } = at(scale);
  return {
    scale,
    liftTan,
    row: { pitchDeg: (rowTopDeg + rowBottomDeg) / 2, stepDeg, cellWidthDeg, cellHeightDeg },
    contentPitchDeg: [rowBottomDeg, Math.atan(topTan) * deg],
  };
}

/** The scale at which the panel is drawn `ratio` device pixels across per source pixel (looked at straight on). */
export function scaleAtDevicePxPerSourcePx(
  view: DesktopView,
  content: Pick<OpenedContent, 'halfWidthTan' | 'sourceWidthPx'>,
  ratio: number,
): number {
  const tanHalfH = Math.tan((view.verticalFovDeg / 2) * rad) * view.aspect;
  return (ratio * content.sourceWidthPx * tanHalfH) / (content.halfWidthTan * view.deviceWidthPx);
}

/** The step and cell size of a row of `count` neighbours spread over at most `widthDeg` (and maxRowSpanDeg). */
export function rowCells(count: number, widthDeg: number, rules: LayoutRules = desktopLayoutRules): Omit<RowLayout, 'pitchDeg'> {
  const stepDeg = count > 0 ? Math.min(rules.maxRowStepDeg, Math.min(widthDeg, rules.maxRowSpanDeg) / count) : 0;
  const cellWidthDeg = stepDeg * rules.cellFillOfStep;
  return { stepDeg, cellWidthDeg, cellHeightDeg: cellWidthDeg * rules.cellAspect };
}

/**
 * Normalised device coordinates of a point seen by a camera at the eye
 * looking straight ahead (-Z), for points given as tangents on the plane one
 * unit ahead, or as yaw and pitch; undefined behind the camera.
 */
function projector(tanHalfH: number, tanHalfV: number) {
  const project = (x: number, y: number, z: number): [number, number] | undefined =>
    -z > 1e-9 ? [x / -z / tanHalfH, y / -z / tanHalfV] : undefined;
  return {
    tangent: (x: number, y: number) => project(x, y, -1),
    angle: (yawDeg: number, pitchDeg: number) =>
      project(
        Math.cos(pitchDeg * rad) * Math.sin(yawDeg * rad),
        Math.sin(pitchDeg * rad),
        -Math.cos(pitchDeg * rad) * Math.cos(yawDeg * rad),
      ),
  };
}
