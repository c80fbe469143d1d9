export {
  itemManifestSchemaVersion,
  type ItemKind,
  type ItemManifest,
  type ItemStatus,
  type PreviewImage,
  type FoveatedPreviewRef,
  type FoveatedBaseRef,
  type EmbeddingRef,
  type VideoDetails,
  type VideoStreamFacts,
  type FoveatedClipRef,
  type ClipStream,
  type ErrorRecord,
  type ItemsPage,
} from './types.js';
export { itemIdForContent, itemIdForFile, keyHash, itemKeys, isUploadKey } from './itemKeys.js';
export { getJson, putJson, type ObjectStore, type ObjectInfo, type PutOptions, type FolderPage } from './objectStore.js';
export { listErrorRecords, type ListedErrorRecord } from './listErrorRecords.js';
