import { createHash } from 'node:crypto';
import { isTransientFailure } from '../functions/adapters/store/index.js';
import { pipelineConfig } from '../functions/config/index.js';
import { CliError, exitCodes, NotFoundError } from './errors.js';

/**
 * Calls the pipeline's HTTP API (the viewer's origin, /api/…). Its 4xx answers
 * carry a sentence saying what is wrong; that sentence becomes the CLI's error.
 */
export async function callApi<T>(
  apiUrl: string,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: Buffer; cookie?: string | undefined } = {},
): Promise<T> {
  const url = new URL(path, apiUrl);
  const cookieHeader: Record<string, string> = init.cookie ? { cookie: init.cookie } : {};
  const response = await fetchRidingOutBlips(url, {
    method: init.method ?? 'GET',
    headers: cookieHeader,
    // CloudFront's origin access control signs a POST to the API's function URL only with the body's hash given (README "API").
    ...(init.body
      ? {
          body: new Uint8Array(init.body),
          headers: {
            ...cookieHeader,
            'content-type': 'application/octet-stream',
            'x-amz-content-sha256': createHash('sha256').update(init.body).digest('hex'),
          },
        }
      : {}),
  });
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as T;
  const message = apiErrorMessage(text) ?? `${response.status} ${response.statusText}`;
  if (response.status === 404) throw new NotFoundError(`${url.pathname}: ${message}`);
  if (response.status === 403)
    throw new CliError(`${url.pathname} answered 403: the pipeline refused the CLI's signed cookies (${message})`, exitCodes.failed);
  throw new CliError(`${url.pathname} answered ${response.status}: ${message}`, exitCodes.failed);
}

function apiErrorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

const { apiAttempts } = pipelineConfig.cli;

async function fetchRidingOutBlips(url: URL, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    const last = attempt === apiAttempts;
    try {
      const response = await fetch(url, init);
      if (last || !(response.status >= 500 || response.status === 429)) return response;
      await response.body?.cancel();
    } catch (error) {
      if (last || !isTransientFailure(error)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
  }
}
