export { openIdProvider } from './openIdProvider.js';
export { cloudFrontSigner } from './cloudFrontSigner.js';
export { readAccessSettings, readSecretString, readSigningKey } from './awsAccessSecrets.js';
