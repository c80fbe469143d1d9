export { authRoutes, routeAuthRequest } from './routeAuthRequest.js';
export { createShareLink, InvalidShareError, signOwnerSession } from './shareLink.js';
export type { AccessDeps, AuthRequest, AuthResponse, PolicySigner, SignedInIdentity, SignInChallenge, SignInProvider } from './types.js';
