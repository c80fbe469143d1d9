import { LinearFilter, LinearMipmapLinearFilter, SRGBColorSpace, Texture } from 'three';
import type { ManifestFile } from '../../../functions/foveate/index.js';
import { mediaUrl } from '../mediaUrl.js';

export interface LoadedTileTexture {
  texture: Texture;
  file: ManifestFile;
  /** Bytes that came over the network. */
  transferBytes: number;
}

/**
 * Fetches one tile and decodes it off the main thread (createImageBitmap),
 * trying the manifest's files in order of preference: a browser without an
 * AVIF decoder fails on the AVIF base and takes its JPEG, and is not asked
 * for AVIF again. Textures are uploaded top row first (flipY false, as the
 * tile shader expects), in sRGB, with mipmaps (the shader's edge fade uses
 * them).
 */
export class TileTextureLoader {
  private readonly undecodable = new Set<string>();

  constructor(private readonly anisotropy: number) {}

  async load(files: readonly ManifestFile[], signal: AbortSignal, mipmaps = true): Promise<LoadedTileTexture> {
    const candidates = files.filter((file) => !this.undecodable.has(file.format));
    let lastError: unknown = new Error('no file in a format this browser decodes');
    for (const file of candidates.length > 0 ? candidates : files) {
      const response = await fetch(mediaUrl(file.key), { signal });
      if (!response.ok) throw new Error(`${mediaUrl(file.key)} answered ${response.status}`);
      const blob = await response.blob();
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none' });
      } catch (error) {
        this.undecodable.add(file.format);
        lastError = error;
        continue;
      }
      if (signal.aborted) {
        bitmap.close();
        throw signal.reason;
      }
      return { texture: this.toTexture(bitmap, mipmaps), file, transferBytes: blob.size };
    }
    throw lastError;
  }

  private toTexture(bitmap: ImageBitmap, mipmaps: boolean): Texture {
    const texture = new Texture(bitmap);
    texture.flipY = false;
    texture.colorSpace = SRGBColorSpace;
    texture.generateMipmaps = mipmaps;
    texture.minFilter = mipmaps ? LinearMipmapLinearFilter : LinearFilter;
    texture.anisotropy = this.anisotropy;
    texture.needsUpdate = true;
    texture.addEventListener('dispose', () => bitmap.close());
    return texture;
  }
}
