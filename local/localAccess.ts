import { Logger } from '@aws-lambda-powertools/logger';
import { checkSignedRequest, signedPolicyFromCookies, trustedKeysOf, type AccessCheck } from '../functions/domain/access/index.js';
import { pipelineConfig } from '../functions/config/index.js';
import { cloudFrontSigner, openIdProvider } from '../functions/adapters/access/index.js';
import { createAuthHandler, type AuthHandler } from '../functions/handlers/authRequestHandler.js';
import { authRoutes, type PolicySigner } from '../functions/stages/access/index.js';
import { parse as parseCookies } from 'cookie';
import { localSigningKey } from './localSigningKey.js';
import { startLocalOpenIdProvider } from './localOpenIdProvider.js';

/** The local server's half of CloudFront's job: the auth routes, and the signed-cookie check on items/ and /api/. */
export interface LocalAccess {
  authHandler: AuthHandler;
  /** CloudFront's decision for a request to this absolute URL with this Cookie header. */
  check(url: string, cookieHeader: string | undefined): AccessCheck;
  /** Signs share links and the CLI's own calls, as the operator does with the stack's key. */
  signer: PolicySigner;
  providerIssuer: string;
  stop(): Promise<void>;
}

export interface LocalAccessOptions {
  dataDir: string;
  /** http://127.0.0.1:<port>: what cookies' policies and the redirect URI are built on. */
  siteOrigin: string;
  /** 0 lets the OS pick (tests). */
  providerPort: number;
  /** Who gets cookies; default the one local owner. */
  allowedEmails?: readonly string[];
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

/** Sign-in for the local mode: the same auth handler the stack deploys, against a local OpenID provider and a local key. */
export async function startLocalAccess(options: LocalAccessOptions): Promise<LocalAccess> {
  const { keyPairId, privateKeyPem } = await localSigningKey(options.dataDir);
  const provider = await startLocalOpenIdProvider({
    port: options.providerPort,
    redirectUri: `${options.siteOrigin}${authRoutes.callback}`,
    postLogoutUri: `${options.siteOrigin}${authRoutes.signedOut}`,
  });
  const signer = cloudFrontSigner(keyPairId, privateKeyPem);
  const trustedKeys = trustedKeysOf({ [keyPairId]: privateKeyPem });
  const deps = {
    siteOrigin: options.siteOrigin,
    provider: openIdProvider({ issuer: provider.issuer, clientId: provider.clientId, allowHttp: true }),
    signer,
    trustedKeys,
    allowedEmails: options.allowedEmails ?? [pipelineConfig.access.local.ownerEmail],
    providerLogoutUrl: provider.logoutUrl,
    // Plain http: a browser drops Secure cookies from a non-secure origin.
    secureCookies: false,
    now: Date.now,
  };
  return {
    authHandler: createAuthHandler(() => Promise.resolve(deps), new Logger({ serviceName: 'auth', logLevel: options.logLevel })),
    check: (url, cookieHeader) =>
      checkSignedRequest(signedPolicyFromCookies(cookieHeader ? parseCookies(cookieHeader) : {}), url, trustedKeys, Date.now()),
    signer,
    providerIssuer: provider.issuer,
    stop: provider.stop,
  };
}
