export { openIdProvider } from './openIdProvider.js';
export { cloudFrontSigner } from './cloudFrontSigner.js';
export { readAccessSettings, readSigningKey } from './awsAccessSecrets.js';
