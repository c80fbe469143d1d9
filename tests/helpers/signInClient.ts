import { CookieJar } from 'tough-cookie';

/**
 * A browser without a page: a cookie jar (tough-cookie, with paths, expiry and
 * clearing as browsers keep them) and fetch with redirects followed by hand, so
 * a test sees every hop and every cookie of the sign-in flow.
 */
export class SignInClient {
  readonly jar = new CookieJar();

  constructor(readonly siteUrl: string) {}

  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.siteUrl).href;
    const cookie = await this.jar.getCookieString(url);
    const headers = { ...(init.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) };
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url);
    return response;
  }

  /** Follows redirects from `start` until a page answers; returns that answer and the URL it came from. */
  async follow(start: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let url = new URL(start, this.siteUrl).href;
    let response = await this.request(url, init);
    for (let hop = 0; hop < 10 && response.status >= 300 && response.status < 400; hop += 1) {
      url = new URL(response.headers.get('location') ?? '', url).href;
      response = await this.request(url);
    }
    return { response, url };
  }

  /**
   * The whole sign-in: /auth/login, the local provider's login form (any password), and back
   * through the callback. Returns where the flow ended (the viewer, or a refusal page).
   */
  async signIn(email: string, next = '/'): Promise<{ response: Response; url: string }> {
    const atForm = await this.follow(`/auth/login?next=${encodeURIComponent(next)}`);
    const html = await atForm.response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (atForm.response.status !== 200 || !action) throw new Error(`no login form at ${atForm.url} (${atForm.response.status})`);
    const body = new URLSearchParams({ prompt: 'login', login: email, password: 'any' }).toString();
    return this.follow(new URL(action, atForm.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  /** The CloudFront-* cookies this browser would send to the site (the local provider's own cookies share the host). */
  async signedCookieNames(): Promise<string[]> {
    return (await this.jar.getCookies(this.siteUrl))
      .map((cookie) => cookie.key)
      .filter((name) => name.startsWith('CloudFront-'))
      .sort();
  }
}
