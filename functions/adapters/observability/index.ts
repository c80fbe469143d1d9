export { createPipelineMetrics } from './pipelineMetrics.js';
export { observeInvocation } from './observeInvocation.js';
export { observeUpload, countError } from './observeUpload.js';
export { metricNames, errorReasonDimension, retryableFailure, serviceDimension } from './constants.js';
