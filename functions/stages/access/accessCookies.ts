import { serialize } from 'cookie';
import { signedCookieNames, type SignedPolicy } from '../../domain/access/index.js';
import { pipelineConfig } from '../../config/index.js';

const { routePrefix, signInCookie } = pipelineConfig.access;

interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** HttpOnly: no script reads them; SameSite=Lax: sent on the provider's redirect back, not on another site's POST. */
const attributes = ({ secure, maxAgeSeconds }: CookieOptions, path: string) =>
  ({ httpOnly: true, secure, sameSite: 'lax', path, maxAge: maxAgeSeconds }) as const;

/** The three cookies CloudFront checks, for the whole site. */
export function signedCookies(signed: SignedPolicy, options: CookieOptions): string[] {
  return [
    serialize(signedCookieNames.policy, signed.policy, attributes(options, '/')),
    serialize(signedCookieNames.signature, signed.signature, attributes(options, '/')),
    serialize(signedCookieNames.keyPairId, signed.keyPairId, attributes(options, '/')),
  ];
}

export const clearedSignedCookies = (secure: boolean): string[] =>
  Object.values(signedCookieNames).map((name) => serialize(name, '', attributes({ secure, maxAgeSeconds: 0 }, '/')));

/** One sign-in's challenge and return path, for the callback only. */
export const signInCookieValue = (value: string, options: CookieOptions): string =>
  serialize(signInCookie, value, attributes(options, routePrefix));

export const clearedSignInCookie = (secure: boolean): string =>
  serialize(signInCookie, '', attributes({ secure, maxAgeSeconds: 0 }, routePrefix));
