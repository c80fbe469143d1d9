export { openIdProvider, type OpenIdProviderOptions } from './openIdProvider.js';
export { cloudFrontSigner } from './cloudFrontSigner.js';
export { readAccessSettings, readSigningKey } from './awsAccessSecrets.js';
