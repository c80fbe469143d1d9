export { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from './localPipeline.js';
export { generateSampleImages, type SampleImage } from './sampleImages.js';
