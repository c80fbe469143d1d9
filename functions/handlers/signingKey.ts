import { createPublicKey } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { generateSigningKeyPair } from '../domain/access/index.js';
import { pipelineConfig } from '../config/index.js';

/** What the provider framework hands back to CloudFormation: the public half only. */
export interface SigningKeyResult {
  PhysicalResourceId: string;
  Data?: { PublicKeyPem: string };
}

export interface SigningKeyHandlerDeps {
  secretsManager: SecretsManagerClient;
  keyBits: number;
  logger?: Logger;
}

/*
 * The physical id is the public key itself (base64 DER, under CloudFormation's
 * 1 KB): an Update (for one generation only a changed provider causes one) must
 * answer with the same public key, because CloudFront never changes a public
 * key in place, and must do so without reading the secret, which only the auth
 * function may.
 */
const physicalIdOf = (publicKeyPem: string) => createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
const publicKeyOf = (physicalId: string) =>
  createPublicKey({ key: Buffer.from(physicalId, 'base64'), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();

/**
 * The onEvent handler of the stack's signing-key custom resource (lib/signingKey.ts):
 * Create makes a key pair and writes the private key to the secret; Update keeps
 * the key (rotation is a new generation, so a Create); Delete leaves the secret to
 * CloudFormation, which deletes it with its generation.
 */
export function createSigningKeyHandler(
  deps: SigningKeyHandlerDeps,
): (event: CloudFormationCustomResourceEvent) => Promise<SigningKeyResult> {
  const logger = deps.logger ?? new Logger({ serviceName: 'signing-key' });
  return async (event) => {
    switch (event.RequestType) {
      case 'Create': {
        const secretArn = String(event.ResourceProperties.SecretArn);
        const { privateKeyPem, publicKeyPem } = generateSigningKeyPair(deps.keyBits);
        await deps.secretsManager.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: privateKeyPem }));
        const physicalId = physicalIdOf(publicKeyPem);
        logger.info('wrote a new CloudFront signing key', { secretArn, keyBits: deps.keyBits });
        return { PhysicalResourceId: physicalId, Data: { PublicKeyPem: publicKeyPem } };
      }
      case 'Update':
        return { PhysicalResourceId: event.PhysicalResourceId, Data: { PublicKeyPem: publicKeyOf(event.PhysicalResourceId) } };
      case 'Delete':
        return { PhysicalResourceId: event.PhysicalResourceId };
    }
  };
}

let environmentHandler: ReturnType<typeof createSigningKeyHandler> | undefined;

/** The Lambda entry point, invoked by CDK's custom resource provider framework during deploys. */
export const handler = (event: CloudFormationCustomResourceEvent): Promise<SigningKeyResult> =>
  (environmentHandler ??= createSigningKeyHandler({
    secretsManager: new SecretsManagerClient({}),
    keyBits: pipelineConfig.access.signingKeyBits,
  }))(event);
