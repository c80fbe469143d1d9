export { routeApiRequest } from './routeApiRequest.js';
export { listItems } from './listItems.js';
export type { ApiDeps, SimilarItem } from './types.js';
export { storageUnavailableSentence } from './errors.js';
