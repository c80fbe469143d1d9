/** Version of the item manifest schema; bump on any incompatible change. */
export const itemManifestSchemaVersion = 1;

type ItemKind = 'image' | 'video';

export interface PreviewImage {
  /** 'thumb' is for galleries, 'preview' for an opened item. */
  role: 'thumb' | 'preview';
  /** S3 key under items/<itemId>/preview/; also the URL path the viewer fetches (`/${key}`). */
  key: string;
  widthPx: number;
  heightPx: number;
  mime: 'image/webp';
  bytes: number;
}

/**
 * items/<itemId>/manifest.json. Written once the item is viewable (status
 * 'rendering': previews stored) and again when it is complete ('ready': the
 * foveated layers too). Every object a manifest names exists before it is written.
 */
/** 'rendering': the first preview is there, the foveated layers are being made; 'ready': complete. */
type ItemStatus = 'rendering' | 'ready';

export interface ItemManifest {
  schemaVersion: typeof itemManifestSchemaVersion;
  itemId: string;
  kind: ItemKind;
  status: ItemStatus;
  source: {
    /** The upload key (decoded), as the user named it. */
    key: string;
    bytes: number;
    /** Type sniffed from the bytes, not the key's extension. */
    mime: string;
    /** The upload's S3 LastModified, so re-processing writes identical bytes. */
    uploadedAt: string;
  };
  /** Size after EXIF auto-orientation. */
  widthPx: number;
  heightPx: number;
  previews: PreviewImage[];
  /** The foveated layers for XR displays; absent while status is 'rendering'. For a video, its poster's. */
  foveated?: FoveatedPreviewRef;
  /** The content embedding the retrieval index holds for this item; set with status 'ready'. */
  embedding?: EmbeddingRef;
  /** Videos only: what the probe found, the shots, the poster frame and the foveated clip. */
  video?: VideoDetails;
}

/** A video item's facts; widthPx/heightPx of the item are the displayed frame size (after rotation). */
interface VideoDetails {
  durationSeconds: number;
  frameRate: number;
  /** Counter-clockwise rotation the container's display matrix asks for (0, 90, 180, 270); the clip and poster are already upright. */
  rotationDeg: number;
  /** The ffmpeg demuxer the file was read with ('mov', 'matroska', 'avi'). */
  container: string;
  streams: VideoStreamFacts[];
  /** Where the poster (the item's previews and foveated layers) was taken from. */
  posterSeconds: number;
  /** Shot boundaries from the analysis frames, each with the keyframes that were embedded. */
  shots: { startSeconds: number; endSeconds: number; keyframeSeconds: number[] }[];
  clip: FoveatedClipRef;
}

export interface VideoStreamFacts {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'data' | 'attachment';
  codec: string;
  widthPx?: number;
  heightPx?: number;
  channels?: number;
  sampleRateHz?: number;
}

/**
 * The foveated clip (docs/video.md): a low-PPD stream of the whole frame and a
 * top-PPD stream of its centre, encoded from the same decoded frames, so their
 * timestamps match; a viewer plays both and draws the centre over the base.
 */
export interface FoveatedClipRef {
  schemaVersion: 1;
  /** The display profiles whose PPD sized it (the finest one sets the centre's PPD). */
  profiles: string[];
  /** Where it is shown, as for images: angles from the viewer's initial head direction. */
  surface: { projection: 'flat' | 'equirect'; name: string; yawDeg: [number, number]; pitchDeg: [number, number] };
  /** Beyond this eccentricity the eye resolves no more than the base stream's PPD. */
  foveaRadiusDeg: number;
  durationSeconds: number;
  frameRate: number;
  streams: ClipStream[];
}

export interface ClipStream {
  role: 'base' | 'centre';
  /** S3 key under items/<itemId>/preview/clip/; also the URL path. */
  key: string;
  mime: 'video/mp4';
  /** RFC 6381 codecs parameter, e.g. 'avc1.640028,mp4a.40.2'. */
  codecs: string;
  bytes: number;
  widthPx: number;
  heightPx: number;
  /** Pixels per degree at the view axis. */
  ppd: number;
  /** [left, top, right, bottom] of the frame this stream shows, as fractions of the frame. */
  rect: [number, number, number, number];
  /** The base only (absent before 2026-12): where it is flat grey, inside the centre's rect, which is drawn over it. */
  holeRect?: [number, number, number, number];
  durationSeconds: number;
  hasAudio: boolean;
}

/** The item record's pointer to its foveated layer manifest (functions/domain/foveate/foveatedManifest.schema.json). */
/** items/<itemId>/embedding.f32 and the model that made it (docs/embeddings.md). */
export interface EmbeddingRef {
  key: string;
  name: string;
  version: string;
  dimension: number;
}

export interface FoveatedPreviewRef {
  /** Schema version of the referenced file. */
  schemaVersion: number;
  /** items/<itemId>/preview/foveated.json; also its URL path (`/${key}`). */
  key: string;
  bytes: number;
  projection: 'flat' | 'equirect';
  /** 'panel', 'theater', '360' or 'panorama'. */
  surface: string;
  /** Display profiles the layers were planned for. */
  profiles: string[];
  /**
   * The base layer (the whole image at a low PPD, each file within the base
   * byte budget), named here so that a gallery thumbnail or an item's first
   * pixels need no foveated.json. Absent on items made before it existed.
   */
  base?: FoveatedBaseRef;
}

export interface FoveatedBaseRef {
  /** The layer's name in foveated.json (shared by the profiles that use it). */
  layer: string;
  widthPx: number;
  heightPx: number;
  ppd: number;
  /** Preferred first, as in foveated.json. */
  files: { format: 'webp' | 'avif' | 'jpeg'; mime: string; key: string; bytes: number }[];
}

/** errors/<key hash>.json: why an upload did not become an item, for people. */
export interface ErrorRecord {
  schemaVersion: 1;
  key: string;
  /** Stable, machine-readable reason, e.g. 'unsupported-type', 'truncated'. */
  code: string;
  /** A sentence for people: what is wrong and what to do. */
  reason: string;
  bytes: number | null;
  recordedAt: string;
  /**
   * Which version of the upload this is about (functions/stages/ingest uploadVersion),
   * so reconciliation tells a rejected old version from a newer one whose event
   * was lost. Absent when no version was known (an unreadable message).
   */
  uploadVersion?: string;
}

/** GET /api/items response. */
export interface ItemsPage {
  items: ItemManifest[];
  /** Pass back as ?cursor= to get the next page; absent on the last page. */
  nextCursor?: string;
}
