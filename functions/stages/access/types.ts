import type { SignedPolicy, TrustedKeys } from '../../domain/access/index.js';

/** An HTTP request to /auth/…, free of any event shape. */
export interface AuthRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  /** The Cookie header, as the browser sent it. */
  cookieHeader?: string;
  body?: Uint8Array;
}

export interface AuthResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values, one cookie each. */
  cookies: string[];
  body: string;
}

/** Who the provider says signed in, from its verified ID token. */
interface SignedInIdentity {
  subject: string;
  email?: string;
  emailVerified?: boolean;
}

/** What a sign-in must remember between leaving for the provider and coming back. */
export interface SignInChallenge {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** An OpenID Connect provider, spoken to with the authorization code flow and PKCE. */
export interface SignInProvider {
  /** The provider's authorization URL for this sign-in, and the challenge to check its answer against. */
  startSignIn(redirectUri: string): Promise<{ url: string; challenge: SignInChallenge }>;
  /** Redeems the code in the callback URL; throws when the answer does not match the challenge or the token does not verify. */
  finishSignIn(callbackUrl: URL, challenge: SignInChallenge): Promise<SignedInIdentity>;
}

/** Signs CloudFront policies with the distribution's trusted key. */
export interface PolicySigner {
  sign(policyJson: string): SignedPolicy;
}

export interface AccessDeps {
  /** https://<distribution domain> (or the local server's origin), no trailing slash. */
  siteOrigin: string;
  provider: SignInProvider;
  signer: PolicySigner;
  /** The keys CloudFront trusts: the auth routes check a session with them as CloudFront would. */
  trustedKeys: TrustedKeys;
  /** E-mail addresses let in; empty lets in every user the provider signs in (a user pool the stack owns). */
  allowedEmails: readonly string[];
  /** The provider's own sign-out page, visited after the cookies are cleared. */
  providerLogoutUrl?: string;
  /** Off only for the local server on plain http, where a browser would drop Secure cookies. */
  secureCookies: boolean;
  now: () => number;
}
