export {
  itemManifestSchemaVersion,
  type ItemManifest,
  type PreviewImage,
  type FoveatedPreviewRef,
  type FoveatedBaseRef,
  type EmbeddingRef,
  type VideoStreamFacts,
  type ClipStream,
  type ErrorRecord,
  type ItemsPage,
} from './types.js';
export { itemIdForContent, itemIdForFile, itemKeys, isUploadKey } from './itemKeys.js';
export { getJson, putJson, type ObjectStore, type ObjectInfo, type PutOptions, type FolderPage } from './objectStore.js';
export { listErrorRecords, type ListedErrorRecord } from './listErrorRecords.js';
