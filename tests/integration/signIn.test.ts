import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, policyJson, shareResource, signedCookieNames } from '../../functions/domain/access/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { cloudFrontSigner } from '../../functions/adapters/access/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { SignInClient } from '../helpers/signInClient.js';
import { makeJpeg } from '../helpers/testImages.js';

const owner = pipelineConfig.access.local.ownerEmail;
const epochSeconds = (offsetSeconds: number) => Math.floor(Date.now() / 1000) + offsetSeconds;

/** Sign-in on the local server: the real auth handler, a real OpenID provider, and CloudFront's cookie check. */
describe('sign-in and signed cookies on the local server', () => {
  let pipeline: LocalPipeline;
  let dataDir: string;
  let site: string;
  let itemId: string;
  let otherItemId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xr-sign-in-'));
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT', signIn: {} });
    site = pipeline.viewerUrl.replace(/\/$/, '');
    const [first, second] = await Promise.all([makeJpeg(120, 80, '#a02020'), makeJpeg(120, 80, '#2020a0')]);
    await pipeline.upload('uploads/first.jpg', first);
    await pipeline.upload('uploads/second.jpg', second);
    await pipeline.waitForIdle(120_000);
    [itemId, otherItemId] = [itemIdForContent(first), itemIdForContent(second)];
  }, 180_000);
  afterAll(async () => {
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const protectedRequests = (id: () => string): [string, string, RequestInit?][] => [
    ['the catalog', '/api/items'],
    ['one item through the API', `/api/items/${id()}`],
    ['its neighbours', `/api/items/${id()}/similar`],
    ['search by image', '/api/search', { method: 'POST', body: new Uint8Array([1, 2, 3]) }],
    ['its manifest', `/items/${id()}/manifest.json`],
    ['a byte range of it', `/items/${id()}/manifest.json`, { headers: { range: 'bytes=0-9' } }],
  ];

  it('refuses items and the API without cookies, and serves the viewer bundle and the sign-in routes', async () => {
    const stranger = new SignInClient(site);
    for (const [what, path, init] of protectedRequests(() => itemId)) expect((await stranger.request(path, init)).status, what).toBe(403);
    expect((await stranger.request('/')).status).toBe(200);
    const session = await stranger.request('/auth/session');
    expect(session.status).toBe(401);
    expect(await session.json()).toEqual({ signInUrl: '/auth/login' });
    const login = await stranger.request('/auth/login');
    expect(login.status).toBe(302);
    expect(new URL(login.headers.get('location')!).origin).toBe(pipeline.access!.providerIssuer);
  });

  it('lets the owner in after signing in, and back to where they were going', async () => {
    const browser = new SignInClient(site);
    const landed = await browser.signIn(owner, `/#item=${itemId}`);
    expect(landed.url).toBe(`${site}/#item=${itemId}`);
    expect(await browser.signedCookieNames()).toEqual(Object.values(signedCookieNames).sort());
    for (const [what, path, init] of protectedRequests(() => itemId).filter(([what]) => what !== 'search by image'))
      expect([200, 206], what).toContain((await browser.request(path, init)).status);
    expect((await browser.request(`/items/${itemId}/manifest.json`, { headers: { range: 'bytes=0-9' } })).status).toBe(206);
    expect(await (await browser.request('/auth/session')).json()).toMatchObject({ mode: 'owner' });
  });

  it('refuses someone the provider signs in who is not on the allow-list', async () => {
    const browser = new SignInClient(site);
    const landed = await browser.signIn('someone-else@localhost');
    expect(landed.response.status).toBe(403);
    expect(await landed.response.text()).toContain('someone-else@localhost may not see this gallery');
    expect(await browser.signedCookieNames()).toEqual([]);
    expect((await browser.request('/api/items')).status).toBe(403);
  });

  it('refuses a callback whose state does not match, or that comes without its sign-in cookie', async () => {
    const browser = new SignInClient(site);
    const login = await browser.request('/auth/login');
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const forged = await browser.request(`/auth/callback?code=stolen&state=not-${authorize.searchParams.get('state')}`);
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie().some((cookie) => cookie.startsWith(`${signedCookieNames.signature}=`))).toBe(false);
    expect((await new SignInClient(site).request(`/auth/callback?code=x&state=${authorize.searchParams.get('state')}`)).status).toBe(400);
  });

  it('never sends a signed-in browser to another site', async () => {
    const landed = await new SignInClient(site).signIn(owner, '//evil.example/');
    expect(landed.url).toBe(`${site}/`);
  });

  it('refuses tampered cookies, another key, expired cookies and a policy for another path', async () => {
    const { signer } = pipeline.access!;
    const withCookies = async (signed: { policy: string; signature: string; keyPairId: string }, path = '/api/items') => {
      const browser = new SignInClient(site);
      for (const [name, value] of Object.entries({
        [signedCookieNames.policy]: signed.policy,
        [signedCookieNames.signature]: signed.signature,
        [signedCookieNames.keyPairId]: signed.keyPairId,
      }))
        await browser.jar.setCookie(`${name}=${value}; Path=/`, site);
      return (await browser.request(path)).status;
    };
    const valid = signer.sign(policyJson({ resource: `${site}/*`, expiresAtEpochSeconds: epochSeconds(600) }));
    expect(await withCookies(valid)).toBe(200);
    // The same signature over a policy that lasts longer.
    const longer = cloudFrontSigner('x', generateSigningKeyPair(2048).privateKeyPem);
    const stretched = longer.sign(policyJson({ resource: `${site}/*`, expiresAtEpochSeconds: epochSeconds(60_000) }));
    expect(await withCookies({ ...valid, policy: stretched.policy })).toBe(403);
    expect(await withCookies({ ...stretched, keyPairId: valid.keyPairId })).toBe(403);
    expect(await withCookies(stretched)).toBe(403);
    expect(await withCookies(signer.sign(policyJson({ resource: `${site}/*`, expiresAtEpochSeconds: epochSeconds(-1) })))).toBe(403);
    expect(await withCookies(signer.sign(policyJson({ resource: `${site}/api/search`, expiresAtEpochSeconds: epochSeconds(600) })))).toBe(
      403,
    );
  });

  it('shares one item: the link opens it and nothing else, until it expires', async () => {
    const owner_ = new SignInClient(site);
    await owner_.signIn(owner);
    const created = await owner_.request('/auth/shares', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId, expiresInSeconds: 3600 }),
    });
    expect(created.status).toBe(200);
    const share = (await created.json()) as { url: string; expiresAt: string };
    expect(Date.parse(share.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const friend = new SignInClient(site);
    const opened = await friend.request(share.url);
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe(`/#item=${itemId}`);
    expect(await (await friend.request('/auth/session')).json()).toMatchObject({ mode: 'share', itemId });
    expect((await friend.request(`/items/${itemId}/manifest.json`)).status).toBe(200);
    expect((await friend.request(`/items/${otherItemId}/manifest.json`)).status).toBe(403);
    for (const path of ['/api/items', `/api/items/${itemId}`, `/api/items/${itemId}/similar`])
      expect((await friend.request(path)).status, path).toBe(403);
    // A share holder cannot share further.
    const reshare = await friend.request('/auth/shares', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ itemId: otherItemId }),
    });
    expect(reshare.status).toBe(403);

    // A link past its date says so, and cookies from a link stop at its expiry.
    const { signer } = pipeline.access!;
    const resource = shareResource(site, pipelineConfig.prefixes.items, itemId);
    const expired = signer.sign(policyJson({ resource, expiresAtEpochSeconds: epochSeconds(-5) }));
    const expiredUrl = `/auth/share?${new URLSearchParams({ Policy: expired.policy, Signature: expired.signature, 'Key-Pair-Id': expired.keyPairId })}`;
    const late = await new SignInClient(site).request(expiredUrl);
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('expired on');
    const shortLived = signer.sign(policyJson({ resource, expiresAtEpochSeconds: epochSeconds(2) }));
    const holder = new SignInClient(site);
    await holder.jar.setCookie(`${signedCookieNames.policy}=${shortLived.policy}; Path=/`, site);
    await holder.jar.setCookie(`${signedCookieNames.signature}=${shortLived.signature}; Path=/`, site);
    await holder.jar.setCookie(`${signedCookieNames.keyPairId}=${shortLived.keyPairId}; Path=/`, site);
    expect((await holder.request(`/items/${itemId}/manifest.json`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await holder.request(`/items/${itemId}/manifest.json`)).status).toBe(403);
  });

  it('refuses shares it should not make', async () => {
    const browser = new SignInClient(site);
    const post = (body: unknown) =>
      browser.request('/auth/shares', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ itemId })).status).toBe(403);
    await browser.signIn(owner);
    expect((await post({ itemId: '../../api' })).status).toBe(400);
    expect((await post({ itemId, expiresInSeconds: pipelineConfig.access.maxShareSeconds + 1 })).status).toBe(400);
    expect(await (await post({ itemId, expiresInSeconds: 10 })).json()).toMatchObject({ error: expect.stringContaining('from 60 s') });
  });

  it('ends access at sign-out', async () => {
    const browser = new SignInClient(site);
    await browser.signIn(owner);
    expect((await browser.request('/api/items')).status).toBe(200);
    // The site's cookies go at once; then the provider's own session, so the next sign-in asks again.
    const logout = await browser.request('/auth/logout');
    expect(await browser.signedCookieNames()).toEqual([]);
    expect((await browser.request('/api/items')).status).toBe(403);
    const atProvider = await browser.follow(logout.headers.get('location')!);
    expect(atProvider.url.startsWith(`${pipeline.access!.providerIssuer}/session/end`)).toBe(true);
    const form = await atProvider.response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(form)?.[1];
    const fields = Object.fromEntries(
      [...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]),
    );
    expect(fields.logout).toBe('yes');
    const signedOut = await browser.follow(new URL(action!, atProvider.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(signedOut.url).toBe(`${site}/auth/signed-out`);
    expect(await signedOut.response.text()).toContain('Signed out');
    const again = await browser.follow('/auth/login');
    expect(await again.response.text()).toContain('name="password"');
  });
});
