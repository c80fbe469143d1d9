export { routeApiRequest } from './routeApiRequest.js';
export { listItems } from './listItems.js';
export { ApiRequestError } from './errors.js';
export type { ApiDeps, ApiRequest, ApiResponse, SimilarItem, SimilarityDeps } from './types.js';
