import type { foveatedManifestSchemaVersion } from './constants.js';

export type ImageFormat = 'webp' | 'avif' | 'jpeg';

export interface EncodingSpec {
  readonly format: ImageFormat;
  /** 1-100, the codec's own scale. */
  readonly quality: number;
  /** Encoder CPU effort where the codec has one (WebP 0-6, AVIF 0-9). */
  readonly effort?: number;
}

/** A headset (or the eye itself) as far as preview sizing cares. */
export interface DisplayProfile {
  readonly id: string;
  readonly label: string;
  /** Pixels per degree where the optics are sharpest (the view centre): no layer is planned above it. */
  readonly ppd: number;
  /** Pixels per degree averaged over the field of view, where the maker or measurements give it. */
  readonly averagePpd?: number;
  readonly fovDeg: { readonly horizontal: number; readonly vertical: number };
  /** Largest texture side the device's WebGL accepts; no layer or tile is planned larger. */
  readonly maxTextureSizePx: number;
  /** 'catalog' for the named headsets here, 'measured' for one computed by the viewer at run time. */
  readonly origin: 'catalog' | 'measured';
}

export interface AcuitySettings {
  /** Eye movement allowed around the head direction at full acuity (no eye tracking). */
  readonly eyeMarginDeg: number;
  /** Minimum angle of resolution at the fovea, arcminutes (ω0). */
  readonly mar0Arcmin: number;
  /** MAR growth per degree of eccentricity, arcminutes per degree (m). */
  readonly marSlopeArcminPerDeg: number;
}

export interface LadderSettings {
  readonly ladderBasePpd: number;
  readonly ladderRatio: number;
  readonly minTopStepRatio: number;
  readonly baseMinPpd: number;
}

interface TileSettings {
  readonly maxPx: number;
  readonly overlapPx: number;
  /** A profile uses another's full-PPD tiles instead of its own when theirs are at most this much finer (1: never). */
  readonly shareWithinPpdRatio: number;
}

interface BaseLayerSettings {
  readonly maxBytes: number;
  readonly worstCaseBitsPerPixel: number;
}

export interface PanelSurfaceSettings {
  /** 'flat': a planar quad (gnomonic); 'curved': a section of a sphere around the viewer (equal-angle). */
  readonly kind: 'flat' | 'curved';
  /** Angle the panel's width subtends from the viewer. */
  readonly widthDeg: number;
  /** Ceiling on the angle the height subtends (portrait images shrink to fit it). */
  readonly maxHeightDeg: number;
  /**
   * A flat panel is made smaller than widthDeg where its source would be magnified more than this: no
   * more than this many display pixels per source pixel at the centre, at the first profile's PPD.
   */
  readonly maxDisplayPxPerSourcePx?: number;
}

interface LayerEncodings {
  readonly base: readonly EncodingSpec[];
  readonly ring: readonly EncodingSpec[];
  readonly tiles: readonly EncodingSpec[];
  /** Encoder effort of the full-PPD tiles outside the first view (fetched after it, as the gaze moves). */
  readonly peripheralTileEffort: number;
  readonly minQuality: number;
}

/** Every foveation tunable; pipelineConfig.foveation is the default, passed per call. */
export interface FoveationSettings {
  readonly profiles: readonly string[];
  readonly imageSurface: string;
  readonly surfaces: { readonly [name: string]: PanelSurfaceSettings };
  readonly acuity: AcuitySettings;
  readonly ladder: LadderSettings;
  readonly tiles: TileSettings;
  readonly base: BaseLayerSettings;
  readonly maxTextureSizePx: number;
  readonly panorama: { readonly twoToOneIsEquirect: boolean; readonly aspectTolerance: number };
  readonly encoding: LayerEncodings;
}

/**
 * Where an image is shown, in angles seen from the viewer; the viewer's initial
 * head direction is yaw 0, pitch 0. 'flat': a planar quad centred on that
 * direction; 'equirect': yaw and pitch are linear in the image's x and y (a 360°
 * panorama, a cropped one, or a curved theater screen).
 */
export interface SurfaceSpec {
  readonly projection: 'flat' | 'equirect';
  /** Which configured surface this is: 'panel', 'theater', '360', … */
  readonly name: string;
  /** Yaw at the image's left and right edges (flat: at its vertical centre line). */
  readonly yawDeg: readonly [number, number];
  /** Pitch at the image's bottom and top edges (flat: at its horizontal centre line). */
  readonly pitchDeg: readonly [number, number];
}

/** Pixel rectangle, left/top inclusive, right/bottom exclusive; y grows downwards. */
export interface PxBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export type LayerRole = 'base' | 'ring' | 'tiles';

export interface PlannedTile {
  readonly col: number;
  readonly row: number;
  /** What this tile shows, in source pixels (integers). Cores of a layer never overlap. */
  readonly core: PxBox;
  /** What the texture's pixels cover, in source pixels: the core plus overlap. */
  readonly source: PxBox;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Lowest angular pixel density anywhere in the core (at its point nearest the head direction). */
  readonly ppd: number;
  /** Full-PPD tiles only: inside the fovea, so part of the first view. */
  readonly inFirstView?: boolean;
}

export interface PlannedLayer {
  /** Unique within a plan; the same name means the same pixels, shared by profiles. */
  readonly name: string;
  readonly role: LayerRole;
  /** Nominal PPD: the ladder level (tiles: the display's PPD, capped by the source). */
  readonly ppd: number;
  /** Everything this layer is responsible for, in source pixels. */
  readonly region: PxBox;
  /** Rings leave out what the next finer layer covers. */
  readonly hole?: PxBox;
  readonly tiles: readonly PlannedTile[];
  readonly encodings: readonly EncodingSpec[];
  /** Each encoding of this layer must fit (the base layer). */
  readonly maxBytesPerFile?: number;
  /** Full-PPD tiles outside the first view are encoded with this effort instead of their encodings' own. */
  readonly peripheralEffort?: number;
}

export interface PlannedProfile {
  readonly profile: DisplayProfile;
  /** Finest PPD planned: the display's, unless the source has fewer pixels, or a finer profile's tiles it shares. */
  readonly topPpd: number;
  /** Coarse to fine; every name is in FoveatePlan.layers. */
  readonly layers: readonly string[];
  /** Beyond this eccentricity from the head direction the full-PPD tiles are not needed at first. */
  readonly foveaRadiusDeg: number;
  /** The full-PPD tiles of the first view cover exactly this box (source pixels). */
  readonly fovea: PxBox;
}

/** One plan object for all stages (sharp's `options`): media executes it, nothing else does. */
export interface FoveatePlan {
  /** The source after EXIF auto-orientation: every pixel box in the plan is on this grid. */
  readonly source: { readonly widthPx: number; readonly heightPx: number };
  readonly surface: SurfaceSpec;
  readonly acuity: AcuitySettings;
  readonly layers: readonly PlannedLayer[];
  readonly profiles: readonly PlannedProfile[];
}

/** What the planner needs to know about an image: its size, and where it is shown. */
export interface PlanRequest {
  readonly source: { readonly widthPx: number; readonly heightPx: number };
  readonly surface: SurfaceSpec;
  readonly profiles: readonly DisplayProfile[];
  readonly settings: FoveationSettings;
}

// ---- The published manifest (foveatedManifest.schema.json) ----

/** [left, top, right, bottom] as fractions of the source image's width and height. */
export type NormalizedRect = readonly [number, number, number, number];

export interface ManifestFile {
  readonly format: ImageFormat;
  readonly mime: string;
  /** S3 key; also the URL path (`/${key}`) the viewer fetches. */
  readonly key: string;
  readonly bytes: number;
}

export interface ManifestTile {
  readonly col: number;
  readonly row: number;
  /** What the tile shows; the rects of one layer's tiles never overlap. */
  readonly rect: NormalizedRect;
  /** What the texture's pixels span (rect plus overlap): map its corners to texture UV 0 and 1. */
  readonly textureRect: NormalizedRect;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly ppd: number;
  /** Angular extent of `rect` as seen from the viewer. */
  readonly yawDeg: readonly [number, number];
  readonly pitchDeg: readonly [number, number];
  /** Preferred first; a viewer takes the first format it decodes. */
  readonly files: readonly ManifestFile[];
}

export interface ManifestLayer {
  readonly name: string;
  readonly role: LayerRole;
  readonly ppd: number;
  readonly rect: NormalizedRect;
  readonly holeRect?: NormalizedRect;
  readonly tiles: readonly ManifestTile[];
}

export interface ManifestProfile {
  readonly id: string;
  readonly label: string;
  readonly displayPpd: number;
  readonly topPpd: number;
  readonly foveaRadiusDeg: number;
  /** The first view (looking at yaw 0, pitch 0) is the base, the rings, and the tiles inside this rect. */
  readonly foveaRect: NormalizedRect;
  readonly layers: readonly string[];
}

/** items/<itemId>/preview/foveated.json */
export interface FoveatedManifest {
  readonly schemaVersion: typeof foveatedManifestSchemaVersion;
  readonly source: { readonly widthPx: number; readonly heightPx: number };
  readonly surface: SurfaceSpec;
  readonly acuity: AcuitySettings;
  readonly layers: readonly ManifestLayer[];
  readonly profiles: readonly ManifestProfile[];
}
