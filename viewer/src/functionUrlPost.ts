/**
 * The request init of a POST to a function behind CloudFront (the API's search, the auth routes' shares):
 * CloudFront's origin access control signs the request to the function's URL, and Lambda needs the
 * payload's SHA-256 for a request with a body.
 */
export async function functionUrlPost(body: ArrayBuffer, contentType: string): Promise<RequestInit> {
  return { method: 'POST', body, headers: { 'content-type': contentType, 'x-amz-content-sha256': await sha256Hex(body) } };
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
