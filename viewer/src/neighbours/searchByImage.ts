import { functionUrlPost } from '../functionUrlPost.js';
import { requestJson } from '../requestJson.js';
import { similarList, type SimilarItem } from './fetchSimilar.js';

/** POST /api/search with an image's bytes: the items that look most like it. */
export async function searchByImage(image: Blob, k: number, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<SimilarItem[]> {
  const url = `/api/search?k=${k}`;
  const post = await functionUrlPost(await image.arrayBuffer(), image.type || 'application/octet-stream');
  return similarList(url, await requestJson(url, fetchImpl, { ...post, signal }));
}
