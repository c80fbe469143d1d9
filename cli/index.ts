export { collectFiles, type FileToUpload } from './collectFiles.js';
export { uploadFiles, type UploadOptions, type UploadResult } from './uploadFiles.js';
export { localTarget, stackTarget, type PipelineTarget } from './resolveTarget.js';
