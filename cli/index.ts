export { createProgram, runCli } from './program.js';
export { exitCodes, CliError, UsageError, UnreachableError, NotFoundError, type ExitCode } from './errors.js';
export { collectFiles, type FileToUpload } from './collectFiles.js';
export { uploadFiles, itemIdMetadataKey, type UploadOptions, type UploadResult } from './uploadFiles.js';
export { defaultLocalEndpoints, localTarget, stackTarget, type LocalEndpoints, type PipelineTarget } from './resolveTarget.js';
