import type { ItemManifest } from '../../../functions/domain/items/types.js';
import { VideoView, type VideoViewEvents } from '../video/VideoView.js';
import { ImageView, type GalleryTexture, type ImageViewDeps } from './ImageView.js';
import type { MediaView } from './MediaView.js';

/** The view for an item: a video's foveated clip over its poster, or a foveated image. */
export function createMediaView(
  item: ItemManifest,
  galleryTexture: GalleryTexture | undefined,
  deps: ImageViewDeps & { video: VideoViewEvents },
): MediaView {
  const clip = item.kind === 'video' ? item.video?.clip : undefined;
  if (clip && clip.streams.length >= 2) return new VideoView({ ...item, video: { ...item.video!, clip } }, galleryTexture, deps);
  return new ImageView(item, galleryTexture, deps);
}
