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
