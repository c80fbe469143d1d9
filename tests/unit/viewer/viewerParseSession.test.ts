import { describe, expect, it } from 'vitest';
import { parseSession } from '../../../viewer/src/access/parseSession.js';

const itemId = '0123456789abcdef0123456789abcdef';
const expiresAt = '2026-12-10T15:04:00.000Z';

describe('parseSession', () => {
  it("reads the auth route's three answers", () => {
    expect(parseSession(200, { mode: 'owner', expiresAt })).toEqual({ mode: 'owner', expiresAt });
    expect(parseSession(200, { mode: 'share', itemId, expiresAt })).toEqual({ mode: 'share', itemId, expiresAt });
    expect(parseSession(401, { signInUrl: '/auth/login' })).toEqual({ mode: 'signed-out', signInUrl: '/auth/login' });
  });

  it('takes anything else for a site without sign-in, where everything is open', () => {
    // The local server's answer without sign-in: the static files' 404, in plain text (fetchSession parses no body).
    expect(parseSession(404, undefined)).toEqual({ mode: 'open' });
    // A CloudFront error page, or index.html served for any path.
    expect(parseSession(200, undefined)).toEqual({ mode: 'open' });
    expect(parseSession(403, { signInUrl: '/auth/login' })).toEqual({ mode: 'open' });
    expect(parseSession(500, { error: 'internal error' })).toEqual({ mode: 'open' });
  });

  it('does not trust a malformed session', () => {
    expect(parseSession(200, { mode: 'owner' })).toEqual({ mode: 'open' });
    expect(parseSession(200, { mode: 'admin', expiresAt })).toEqual({ mode: 'open' });
    expect(parseSession(200, { mode: 'share', itemId: '../../api', expiresAt })).toEqual({ mode: 'open' });
    expect(parseSession(200, null)).toEqual({ mode: 'open' });
    expect(parseSession(401, {})).toEqual({ mode: 'open' });
  });

  it('never sends anyone to sign in on another site', () => {
    for (const signInUrl of ['//evil.example/login', '/\\evil.example/login', 'https://evil.example/login', 'auth/login'])
      expect(parseSession(401, { signInUrl }), signInUrl).toEqual({ mode: 'open' });
  });
});
