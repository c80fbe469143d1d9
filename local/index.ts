export { startLocalPipeline, type LocalPipeline } from './localPipeline.js';
export { generateSampleImages } from './sampleImages.js';
export { startEmbeddedEmulators, type EmbeddedEmulators } from './embeddedEmulators.js';
export { ensureResources, type LocalResources, type VisibilityOverrides } from './ensureResources.js';
export { startEventSourceMapping, type EventSourceMapping } from './eventSourceMapping.js';
export { readLocalSigningKey } from './localSigningKey.js';
export { networkFaultKinds, uniformFaultRates, type FaultProxyStats } from './faultProxy.js';
export { operationKinds } from './operationOf.js';
