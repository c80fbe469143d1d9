import { LinearFilter, LinearMipmapLinearFilter, SRGBColorSpace, Texture } from 'three';
import type { ManifestFile } from '../../../functions/domain/foveate/index.js';
import { mediaUrl } from '../mediaUrl.js';
import { SharedFetches } from './SharedFetches.js';

export interface FetchedTile {
  blob: Blob;
  /** The file (format) the bytes are. */
  file: ManifestFile;
}

export interface LoadedTileTexture extends Omit<FetchedTile, 'blob'> {
  texture: Texture;
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
  private readonly fetches = new SharedFetches(async (url, signal) => {
    const response = await this.fetchImpl(url, { signal });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.blob();
  });

  constructor(
    private readonly anisotropy: number,
    /** The viewer's guarded fetch (SessionGuard): a tile refused because the session ended is noticed. */
    private readonly fetchImpl: typeof fetch,
  ) {}

  async load(files: readonly ManifestFile[], signal: AbortSignal, mipmaps = true): Promise<LoadedTileTexture> {
    let lastError: unknown = new Error('no file in a format this browser decodes');
    for (let attempt = 0; attempt < files.length; attempt += 1) {
      const fetched = await this.fetchFile(files, signal);
      if (!fetched) break;
      try {
        return { ...fetched, texture: await this.decode(fetched, signal, mipmaps) };
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * Only the network part: the first file in a format not known to be
   * undecodable, as a Blob (concurrent asks share one request: SharedFetches).
   * A scheduler holds a connection slot for this and no longer, so decoding
   * (CPU) never keeps the next tile off the network.
   */
  async fetchFile(files: readonly ManifestFile[], signal: AbortSignal): Promise<FetchedTile | undefined> {
    const file = files.find((candidate) => !this.undecodable.has(candidate.format));
    if (!file) return undefined;
    return { blob: await this.fetches.get(mediaUrl(file.key), signal), file };
  }

  /** Decodes a fetched tile off the main thread; a format the browser cannot decode is not fetched again. */
  async decode(fetched: FetchedTile, signal: AbortSignal, mipmaps = true): Promise<Texture> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(fetched.blob, { premultiplyAlpha: 'none' });
    } catch (error) {
      this.undecodable.add(fetched.file.format);
      throw error;
    }
    if (signal.aborted) {
      bitmap.close();
      throw signal.reason;
    }
    return this.toTexture(bitmap, mipmaps);
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
