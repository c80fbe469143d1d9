export { routeApiRequest } from './routeApiRequest.js';
export { listItems } from './listItems.js';
export { ApiRequestError } from './errors.js';
export type { ApiDeps, ApiRequest, ApiResponse } from './types.js';
