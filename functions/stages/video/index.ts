export { ingestVideoUpload, type VideoIngestDeps } from './ingestVideoUpload.js';
export { clearVideoWorkDirs } from './clearVideoWorkDirs.js';
