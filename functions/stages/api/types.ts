import type { ObjectStore } from '../../domain/items/index.js';
import type { ActiveSimilarity } from '../retrieval/index.js';

/** An HTTP request, free of any event shape (Function URL, API Gateway or node:http). */
export interface ApiRequest {
  method: string;
  /** Path starting with /api/. */
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-case header names. */
  headers?: Record<string, string | undefined>;
  /** The request body, already base64-decoded where the event carried it so. */
  body?: Uint8Array;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiDeps {
  store: ObjectStore;
  limits: { itemsPageSizeDefault: number; itemsPageSizeMax: number };
  /** "More like this" and search by image; without it those routes answer 404. */
  similarity?: SimilarityDeps;
}

export interface SimilarityDeps {
  /** The index that answers now, and the embedder that makes its vectors. */
  active: ActiveSimilarity;
  /** `maxImagePixels`: a search image's width × height, read from its header before it is decoded (ingest's limit). */
  limits: { kDefault: number; kMax: number; maxImageBytes: number; maxImagePixels: number };
}

/** One neighbour as the viewer shows it. */
export interface SimilarItem {
  itemId: string;
  /** Cosine similarity with the query, in [-1, 1]. */
  score: number;
  kind: string;
  widthPx: number;
  heightPx: number;
  /** items/<id>/preview/thumb.webp; also its URL path. */
  thumbKey?: string;
}
