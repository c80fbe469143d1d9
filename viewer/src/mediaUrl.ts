/** Media (previews, layers, clips) is served same-origin at `/${key}` (CloudFront, or the local server). */
export function mediaUrl(key: string): string {
  return '/' + key.split('/').map(encodeURIComponent).join('/');
}
