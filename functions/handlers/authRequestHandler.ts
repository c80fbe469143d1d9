import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routeAuthRequest, type AccessDeps } from '../stages/access/index.js';

export type AuthHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Lambda Function URL (payload v2) in and out: a Function URL hands cookies in
 * `event.cookies` and takes Set-Cookie values in the result's `cookies`.
 * The deps are resolved once (the key and settings are read at cold start).
 */
export function createAuthHandler(deps: () => Promise<AccessDeps>, logger = new Logger({ serviceName: 'auth' })): AuthHandler {
  return async (event, context) => {
    if (context) logger.addContext(context);
    const request = { method: event.requestContext.http.method, path: event.rawPath };
    try {
      const cookieHeader = [...(event.cookies ?? []), ...(event.headers?.cookie ? [event.headers.cookie] : [])].join('; ');
      const response = await routeAuthRequest(
        {
          ...request,
          query: event.queryStringParameters ?? {},
          ...(cookieHeader ? { cookieHeader } : {}),
          ...(event.body === undefined ? {} : { body: Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') }),
        },
        await deps(),
      );
      // The path and status only: query strings and cookies here are credentials.
      logger.info('request', { ...request, status: response.status });
      return { statusCode: response.status, headers: response.headers, cookies: response.cookies, body: response.body };
    } catch (error) {
      logger.error('request failed', { ...request, error });
      return {
        statusCode: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: 'sign-in is unavailable right now; see the auth function logs',
      };
    }
  };
}
