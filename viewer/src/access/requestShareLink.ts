import { ApiResponseError } from '../errors.js';
import { functionUrlPost } from '../functionUrlPost.js';
import { requestJson } from '../requestJson.js';
import { authRoutes } from './authRoutes.js';

export interface ShareLink {
  url: string;
  expiresAt: string;
}

/**
 * POST /auth/shares for one item (the owner only): a link that opens it and nothing else. The
 * lifetime is left to the auth function's default (pipelineConfig.access.defaultShareSeconds).
 */
export async function requestShareLink(itemId: string, fetchImpl: typeof fetch): Promise<ShareLink> {
  const body = new TextEncoder().encode(JSON.stringify({ itemId })).buffer;
  const link = (await requestJson(
    authRoutes.shares,
    fetchImpl,
    await functionUrlPost(body, 'application/json'),
  )) as Partial<ShareLink> | null;
  if (typeof link?.url !== 'string' || typeof link.expiresAt !== 'string') {
    throw new ApiResponseError(authRoutes.shares, 200, 'the body is not a share link ({ url, expiresAt })');
  }
  return { url: link.url, expiresAt: link.expiresAt };
}
