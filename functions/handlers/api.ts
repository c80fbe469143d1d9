import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeApiRequest, type ApiDeps } from '../api/index.js';
import { pipelineConfig, readLambdaEnv } from '../config/index.js';
import { createS3Client, S3ObjectStore } from '../store/index.js';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Lambda Function URL (payload v2) in, JSON out; the routing lives in functions/api. */
export function createApiHandler(deps: ApiDeps, logger = new Logger({ serviceName: 'api' })): ApiHandler {
  return async (event) => {
    try {
      const response = await routeApiRequest(
        { method: event.requestContext.http.method, path: event.rawPath, query: event.queryStringParameters ?? {} },
        deps,
      );
      return { statusCode: response.status, headers: response.headers, body: response.body };
    } catch (error) {
      logger.error('request failed', { path: event.rawPath, error });
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ error: 'internal error; see the function logs' }),
      };
    }
  };
}

let environmentHandler: ApiHandler | undefined;

export const handler: ApiHandler = (event) => {
  environmentHandler ??= createApiHandler({
    store: new S3ObjectStore(createS3Client(), readLambdaEnv(process.env).mediaBucket),
    limits: pipelineConfig.api,
  });
  return environmentHandler(event);
};
