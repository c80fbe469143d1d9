export { authRoutes, routeAuthRequest } from './routeAuthRequest.js';
export { createShareLink, InvalidShareError, signOwnerSession } from './shareLink.js';
export type { AccessDeps, PolicySigner, SignInChallenge, SignInProvider } from './types.js';
