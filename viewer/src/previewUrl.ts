import type { PreviewImage } from '../../functions/items/types.js';

/** Previews are served same-origin at `/${key}` (CloudFront, or the local server). */
export function previewUrl(preview: PreviewImage): string {
  return '/' + preview.key.split('/').map(encodeURIComponent).join('/');
}
