/**
 * Where to send someone to sign in: the site's sign-in URL with `next` = where the viewer is now
 * (path, query and hash: an opened item's #item= comes back with them).
 */
export function signInUrl(signInPath: string, here: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  const separator = signInPath.includes('?') ? '&' : '?';
  return `${signInPath}${separator}next=${encodeURIComponent(here.pathname + here.search + here.hash)}`;
}
