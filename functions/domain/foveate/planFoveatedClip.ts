import { clipHoleMarginPx, macroblockPx } from './constants.js';
import { fullBox } from './layerRegions.js';
import { ladderLevelAtOrAbove } from './ppdLadder.js';
import { surfaceGeometry, type SurfaceGeometry } from './surfaceGeometry.js';
import type { AcuitySettings, PlanRequest, PxBox, SurfaceSpec } from './types.js';
import { eccentricityWherePpdFallsTo } from './usefulPpd.js';
import { validatePlanRequest } from './validatePlanRequest.js';

export interface PlannedClipStream {
  role: 'base' | 'centre' | 'uniform';
  /** Pixels per degree at the view axis. */
  ppd: number;
  /** The source pixels it shows (even coordinates, for 4:2:0 chroma). */
  source: PxBox;
  /** Encoded size, even on both sides (H.264 4:2:0). */
  widthPx: number;
  heightPx: number;
  /**
   * The base only: output pixels (whole H.264 macroblocks) under the centre
   * stream, which the viewer draws over them; encoded flat, they cost
   * almost no bits. Absent where the centre leaves no whole macroblock.
   */
  hole?: PxBox;
}

/** One video's foveated clip: what ffmpeg crops and scales for each stream (functions/domain/video executes it). */
export interface FoveatedClipPlan {
  source: { widthPx: number; heightPx: number };
  surface: SurfaceSpec;
  acuity: AcuitySettings;
  profiles: string[];
  /** The finest profile's PPD: the centre is planned for it, or for the source's PPD if that is lower. */
  displayPpd: number;
  /** Beyond this eccentricity from the head direction the eye resolves no more than the base's PPD. */
  foveaRadiusDeg: number;
  base: PlannedClipStream;
  centre: PlannedClipStream;
  /** The single stream it replaces: the whole frame at the centre's PPD (the benchmark's reference). */
  uniform: PlannedClipStream;
}

/**
 * Two streams instead of image layers' ladder: the whole frame at a low PPD,
 * and the centre, out to where the eye stops resolving more than that PPD
 * (the acuity model of docs/foveation.md), at the finest profile's PPD.
 * The base PPD is the ladder level that minimises the pixels the headset
 * decodes per frame. Pure; functions/domain/video encodes the plan with ffmpeg.
 */
export function planFoveatedClip(request: PlanRequest): FoveatedClipPlan {
  validatePlanRequest(request);
  const { source, surface, profiles, settings } = request;
  const geometry = surfaceGeometry(surface, source.widthPx, source.heightPx);
  const full = fullBox(geometry);
  const degreesPerPx = geometry.degreesPerPxMax(full);
  const sourcePpd = 1 / Math.max(degreesPerPx.x, degreesPerPx.y);
  const displayPpd = Math.max(...profiles.map((profile) => profile.ppd));
  const maxTexturePx = Math.min(settings.maxTextureSizePx, ...profiles.map((profile) => profile.maxTextureSizePx));
  const topPpd = Math.min(displayPpd, sourcePpd);
  const stream = (role: PlannedClipStream['role'], box: PxBox, ppd: number) => scaledStream(role, box, ppd, sourcePpd, maxTexturePx);

  // A base that the texture limit would shrink below its PPD could not carry what the eye resolves outside the centre.
  const baseFitsPpd = (maxTexturePx / Math.max(source.widthPx, source.heightPx)) * sourcePpd;
  const candidates = basePpdCandidates(topPpd, settings.ladder).filter((ppd) => ppd <= baseFitsPpd);
  if (candidates.length === 0) candidates.push(Math.min(baseFitsPpd, topPpd / settings.ladder.ladderRatio));
  const plans = candidates.map((basePpd) => {
    const foveaRadiusDeg = eccentricityWherePpdFallsTo(basePpd, settings.acuity);
    const centreBox = evenBox(geometry.capBox(foveaRadiusDeg), geometry);
    const centre = stream('centre', centreBox, topPpd);
    const base = withHole(stream('base', full, basePpd), centreBox, geometry);
    return { foveaRadiusDeg, base, centre, decodedPixels: base.widthPx * base.heightPx + centre.widthPx * centre.heightPx };
  });
  const best = plans.reduce((a, b) => (b.decodedPixels < a.decodedPixels ? b : a));
  return {
    source: { widthPx: source.widthPx, heightPx: source.heightPx },
    surface,
    acuity: settings.acuity,
    profiles: profiles.map((profile) => profile.id),
    displayPpd,
    foveaRadiusDeg: best.foveaRadiusDeg,
    base: best.base,
    centre: best.centre,
    uniform: stream('uniform', full, topPpd),
  };
}

/**
 * Ladder levels (shared with the image layers) far enough below the top to be
 * worth a second stream; a source too coarse for any gets a base at half its PPD.
 */
function basePpdCandidates(topPpd: number, ladder: PlanRequest['settings']['ladder']): number[] {
  const levels: number[] = [];
  for (let level = ladderLevelAtOrAbove(ladder.baseMinPpd, ladder); level * ladder.minTopStepRatio <= topPpd; level *= ladder.ladderRatio) {
    levels.push(level);
  }
  return levels.length > 0 ? levels : [topPpd / ladder.ladderRatio];
}

/** A box scaled from the source's PPD to `ppd`, shrunk further if it would exceed the texture limit. */
function scaledStream(
  role: PlannedClipStream['role'],
  box: PxBox,
  ppd: number,
  sourcePpd: number,
  maxTexturePx: number,
): PlannedClipStream {
  const boxWidth = box.x1 - box.x0;
  const boxHeight = box.y1 - box.y0;
  const scale = Math.min(ppd / sourcePpd, 1, maxTexturePx / boxWidth, maxTexturePx / boxHeight);
  // Rounded down to even sizes, so no axis ends up denser than planned; the PPD is the lesser axis's.
  const widthPx = Math.max(2, evenFloor(boxWidth * scale));
  const heightPx = Math.max(2, evenFloor(boxHeight * scale));
  return { role, ppd: sourcePpd * Math.min(widthPx / boxWidth, heightPx / boxHeight), source: box, widthPx, heightPx };
}

/**
 * The base's pixels under the centre, shrunk by a margin no filter reaches
 * across (bilinear sampling, 4:2:0 chroma, H.264 deblocking) and then to
 * whole macroblocks, so the base's visible pixels keep their content.
 */
function withHole(base: PlannedClipStream, centreBox: PxBox, frame: Pick<SurfaceGeometry, 'widthPx' | 'heightPx'>): PlannedClipStream {
  const scaleX = base.widthPx / frame.widthPx;
  const scaleY = base.heightPx / frame.heightPx;
  const inward = (value: number, up: boolean) =>
    up
      ? macroblockPx * Math.ceil((value + clipHoleMarginPx) / macroblockPx)
      : macroblockPx * Math.floor((value - clipHoleMarginPx) / macroblockPx);
  const hole = {
    x0: inward(centreBox.x0 * scaleX, true),
    y0: inward(centreBox.y0 * scaleY, true),
    x1: inward(centreBox.x1 * scaleX, false),
    y1: inward(centreBox.y1 * scaleY, false),
  };
  return hole.x1 > hole.x0 && hole.y1 > hole.y0 ? { ...base, hole } : base;
}

/** Clipped to the frame, outward to even coordinates, inward where the frame's edge is odd. */
function evenBox(box: PxBox, geometry: Pick<SurfaceGeometry, 'widthPx' | 'heightPx'>): PxBox {
  const maxX = evenFloor(geometry.widthPx);
  const maxY = evenFloor(geometry.heightPx);
  const clip = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  const x0 = clip(evenFloor(box.x0), maxX - 2);
  const y0 = clip(evenFloor(box.y0), maxY - 2);
  return {
    x0,
    y0,
    x1: Math.max(x0 + 2, clip(2 * Math.ceil(box.x1 / 2), maxX)),
    y1: Math.max(y0 + 2, clip(2 * Math.ceil(box.y1 / 2), maxY)),
  };
}

function evenFloor(value: number): number {
  return 2 * Math.floor(value / 2);
}
