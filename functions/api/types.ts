import type { ObjectStore } from '../items/index.js';

/** An HTTP request, free of any event shape (Function URL, API Gateway or node:http). */
export interface ApiRequest {
  method: string;
  /** Path starting with /api/. */
  path: string;
  query: Record<string, string | undefined>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiDeps {
  store: ObjectStore;
  limits: { itemsPageSizeDefault: number; itemsPageSizeMax: number };
}
