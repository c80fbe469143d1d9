/** Version of the item manifest schema; bump on any incompatible change. */
export const itemManifestSchemaVersion = 1;

export type ItemKind = 'image';

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
export type ItemStatus = 'rendering' | 'ready';

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
  /** The foveated layers for XR displays; absent while status is 'rendering'. */
  foveated?: FoveatedPreviewRef;
}

/** The item record's pointer to its foveated layer manifest (functions/foveate/foveatedManifest.schema.json). */
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
}

/** GET /api/items response. */
export interface ItemsPage {
  items: ItemManifest[];
  /** Pass back as ?cursor= to get the next page; absent on the last page. */
  nextCursor?: string;
}
