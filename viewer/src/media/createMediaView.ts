import type { ItemManifest } from '../../../functions/items/types.js';
import { ImageView, type GalleryTexture, type ImageViewDeps } from './ImageView.js';
import type { MediaView } from './MediaView.js';

/** The view for an item: its foveated image (a photo, or a video's poster). */
export function createMediaView(item: ItemManifest, galleryTexture: GalleryTexture | undefined, deps: ImageViewDeps): MediaView {
  return new ImageView(item, galleryTexture, deps);
}
