/** Version of the foveated layer manifest (foveatedManifest.schema.json); bump on any incompatible change. */
export const foveatedManifestSchemaVersion = 1;

/** 1 arcminute resolves 60 pixels per degree: PPD = 60 / MAR in arcminutes. */
export const arcminPerDegree = 60;

export const mimeByFormat = {
  webp: 'image/webp',
  avif: 'image/avif',
  jpeg: 'image/jpeg',
} as const;

export const extensionByFormat = {
  webp: 'webp',
  avif: 'avif',
  jpeg: 'jpg',
} as const;

/** H.264 codes 16×16 macroblocks: a flat region of whole ones is coded as skips. */
export const macroblockPx = 16;

/** Base-stream pixels kept around a clip's hidden centre: wider than bilinear sampling, 4:2:0 chroma and H.264 deblocking reach. */
export const clipHoleMarginPx = 4;
