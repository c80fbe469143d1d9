import { trustedKeysOf } from '../domain/access/index.js';
import { readAccessEnv } from '../config/index.js';
import { cloudFrontSigner, openIdProvider, readAccessSettings, readSecretString, readSigningKey } from '../adapters/access/index.js';
import type { AccessDeps } from '../stages/access/index.js';
import { createAuthHandler } from './authRequestHandler.js';

let resolved: Promise<AccessDeps> | undefined;

/** The key and settings, read once per execution environment; a failed read is tried again by the next request. */
function depsFromEnvironment(): Promise<AccessDeps> {
  resolved ??= (async () => {
    const env = readAccessEnv(process.env);
    const [privateKeyPem, settings, clientSecret] = await Promise.all([
      readSigningKey(env.signingKeySecret),
      readAccessSettings(env.settingsParameter),
      env.clientSecretName === undefined ? undefined : readSecretString(env.clientSecretName),
    ]);
    return {
      siteOrigin: settings.siteOrigin,
      provider: openIdProvider({
        issuer: env.issuer,
        clientId: settings.clientId,
        ...(clientSecret === undefined ? {} : { clientSecret }),
      }),
      signer: cloudFrontSigner(env.keyPairId, privateKeyPem),
      trustedKeys: trustedKeysOf({ [env.keyPairId]: privateKeyPem }),
      allowedEmails: env.allowedEmails,
      ...(settings.providerLogoutUrl ? { providerLogoutUrl: settings.providerLogoutUrl } : {}),
      secureCookies: true,
      now: Date.now,
    };
  })().catch((error: unknown) => {
    resolved = undefined;
    throw error;
  });
  return resolved;
}

export const handler = createAuthHandler(depsFromEnvironment);
