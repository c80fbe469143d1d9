import type { AuthResponse } from './types.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

/** A small page a person reads: why they are here, and where to go next. Never CloudFront's XML. Unstyled: the site's CSP allows no inline style. */
export function page(
  status: number,
  title: string,
  message: string,
  link: { href: string; text: string },
  cookies: string[] = [],
): AuthResponse {
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body>` +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p></body></html>`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, cookies, body };
}

export function redirect(location: string, cookies: string[] = []): AuthResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, cookies, body: '' };
}

export function json(status: number, value: unknown, cookies: string[] = []): AuthResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    cookies,
    body: JSON.stringify(value),
  };
}
