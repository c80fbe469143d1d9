import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { isTransientFailure } from '../adapters/store/index.js';
import { routeApiRequest, storageUnavailableSentence, type ApiDeps } from '../stages/api/index.js';

/** `context` is Lambda's; the local server calls without one. */
export type ApiHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** /api/items/<itemId>… names an item: its id goes on the request's log lines. */
const itemIdInPath = /\/items\/([0-9a-f]{32})(?:\/|$)/;

/** Lambda Function URL (payload v2) in, JSON out; the routing lives in functions/stages/api. */
export function createApiHandler(deps: ApiDeps, logger = new Logger({ serviceName: 'api' })): ApiHandler {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const itemId = itemIdInPath.exec(event.rawPath)?.[1];
    // On each line rather than appended to the logger: the local server shares one handler between concurrent requests.
    const request = { method: event.requestContext.http.method, path: event.rawPath, ...(itemId ? { itemId } : {}) };
    const startedMs = performance.now();
    try {
      const body = event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      const response = await routeApiRequest(
        {
          method: event.requestContext.http.method,
          path: event.rawPath,
          query: event.queryStringParameters ?? {},
          headers: event.headers ?? {},
          body,
        },
        deps,
      );
      logger.info('request', { ...request, status: response.status, elapsedMs: Math.round(performance.now() - startedMs) });
      return { statusCode: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      // The storage failed where a retry may succeed (after the SDK's own): say so, rather than a generic 500.
      if (isTransientFailure(error)) {
        logger.warn('storage unavailable', { ...request, error });
        return {
          statusCode: 503,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
          body: JSON.stringify({ error: storageUnavailableSentence }),
        };
      }
      logger.error('request failed', { ...request, error });
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ error: 'internal error; see the function logs' }),
      };
    }
  };
}
