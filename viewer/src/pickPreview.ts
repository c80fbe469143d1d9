import type { ItemManifest, PreviewImage } from '../../functions/domain/items/types.js';

/**
 * The preview with the wanted role; failing that the other role, so an item
 * with only one rendition still shows. Undefined when there is none at all.
 */
export function pickPreview(item: ItemManifest, role: PreviewImage['role']): PreviewImage | undefined {
  return item.previews.find((preview) => preview.role === role) ?? item.previews[0];
}
