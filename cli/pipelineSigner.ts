import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signedCookieNames } from '../functions/domain/access/index.js';
import { pipelineConfig } from '../functions/config/index.js';
import { cloudFrontSigner, readSigningKey } from '../functions/adapters/access/index.js';
import { signOwnerSession, type PolicySigner } from '../functions/stages/access/index.js';
import { readLocalSigningKey } from '../local/index.js';
import { CliError, exitCodes } from './errors.js';

/** Where a pipeline's signing key is: a stack's secret (read with the operator's AWS credentials), or the local mode's key file. */
export type SigningKeySource =
  { kind: 'stack'; stackName: string; secretArn?: string; keyPairId?: string; endpoint?: string } | { kind: 'local'; dataDir: string };

/** The signer of this pipeline's cookies and share links; a clear error where there is none. */
export async function pipelineSigner(source: SigningKeySource): Promise<PolicySigner> {
  if (source.kind === 'local') {
    const key = await readLocalSigningKey(source.dataDir);
    if (!key)
      throw new CliError(
        `the local mode in ${source.dataDir}/ has no signing key: sign-in is off (start it with \`npm start -- --sign-in\`, or name its --data-dir)`,
        exitCodes.failed,
      );
    return cloudFrontSigner(key.keyPairId, key.privateKeyPem);
  }
  if (!source.secretArn || !source.keyPairId)
    throw new CliError(`stack ${source.stackName} has no signing key outputs: it predates sign-in; deploy it again`, exitCodes.failed);
  const client = new SecretsManagerClient(source.endpoint ? { endpoint: source.endpoint } : {});
  try {
    return cloudFrontSigner(source.keyPairId, await readSigningKey(source.secretArn, client));
  } finally {
    client.destroy();
  }
}

/**
 * A Cookie header with the owner's grant for a few minutes: what the CLI sends with its own API calls,
 * where sign-in is on. Without a key (local mode with sign-in off, a stack from before sign-in) it sends none.
 */
export async function ownerCookieHeader(source: SigningKeySource, siteOrigin: string): Promise<string | undefined> {
  const signInOff = source.kind === 'local' ? !(await readLocalSigningKey(source.dataDir)) : !source.secretArn || !source.keyPairId;
  if (signInOff) return undefined;
  const signed = signOwnerSession(await pipelineSigner(source), siteOrigin, pipelineConfig.access.cliSessionSeconds, Date.now());
  return [
    `${signedCookieNames.policy}=${signed.policy}`,
    `${signedCookieNames.signature}=${signed.signature}`,
    `${signedCookieNames.keyPairId}=${signed.keyPairId}`,
  ].join('; ');
}
