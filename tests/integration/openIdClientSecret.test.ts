import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../functions/config/index.js';
import { openIdProvider } from '../../functions/adapters/access/index.js';
import { startLocalOpenIdProvider, type LocalOpenIdProvider } from '../../local/localOpenIdProvider.js';
import { SignInClient } from '../helpers/signInClient.js';

// Nothing listens here: the test stops at the provider's redirect back, as a browser would arrive at the site.
const redirectUri = 'http://127.0.0.1:9/auth/callback';

/** A provider that registers the site as a confidential client (Google does for a web app): the code is redeemed with the secret. */
describe('sign-in with a provider that requires a client secret', () => {
  let provider: LocalOpenIdProvider;
  beforeAll(async () => {
    provider = await startLocalOpenIdProvider({
      port: 0,
      redirectUri,
      postLogoutUri: 'http://127.0.0.1:9/auth/signed-out',
      clientSecret: 'right',
    });
  });
  afterAll(() => provider?.stop());

  /** Signs in at the provider's login form and returns the URL it sends the browser back to. */
  async function callbackFor(authorizationUrl: string): Promise<URL> {
    const browser = new SignInClient(provider.issuer);
    let response = await browser.request(authorizationUrl);
    let url = authorizationUrl;
    for (let hop = 0; hop < 10; hop += 1) {
      if (response.status === 200) {
        const action = /<form[^>]*action="([^"]+)"/.exec(await response.text())?.[1];
        const body = new URLSearchParams({ prompt: 'login', login: pipelineConfig.access.local.ownerEmail, password: 'any' }).toString();
        url = new URL(action!, url).href;
        response = await browser.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        continue;
      }
      url = new URL(response.headers.get('location')!, url).href;
      if (url.startsWith(redirectUri)) return new URL(url);
      response = await browser.request(url);
    }
    throw new Error(`the provider never sent the browser back (last ${url})`);
  }

  it('signs in with the right secret and refuses the code without it or with another', async () => {
    const withSecret = (clientSecret?: string) =>
      openIdProvider({ issuer: provider.issuer, clientId: provider.clientId, allowHttp: true, ...(clientSecret ? { clientSecret } : {}) });
    const right = withSecret('right');
    const started = await right.startSignIn(redirectUri);
    const identity = await right.finishSignIn(await callbackFor(started.url), started.challenge);
    expect(identity).toMatchObject({ email: pipelineConfig.access.local.ownerEmail, emailVerified: true });

    for (const client of [withSecret('wrong'), withSecret()]) {
      const attempt = await client.startSignIn(redirectUri);
      await expect(client.finishSignIn(await callbackFor(attempt.url), attempt.challenge)).rejects.toThrow();
    }
  });
});
