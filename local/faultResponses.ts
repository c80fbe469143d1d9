import type { IncomingHttpHeaders } from 'node:http';
import type { ProxiedService } from './operationOf.js';

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The error kinds the proxy answers with instead of forwarding. */
export type ErrorFault = 'throttle' | 'serverError';

/**
 * An error as the service would send it. S3: XML `<Error>`, 503 SlowDown or 500 InternalError.
 * SQS: @aws-sdk/client-sqs speaks AWS JSON 1.0 in query-compatible mode, so the JSON `__type`
 * plus the `x-amzn-query-error` header it reads the query-protocol code from (throttling is
 * 400 RequestThrottled, or 503 ServiceUnavailable, as SQS answers either); a request without
 * `X-Amz-Target` is query protocol and gets the XML `<ErrorResponse>`.
 */
export function errorReply(service: ProxiedService, fault: ErrorFault, requestHeaders: IncomingHttpHeaders, variant: number): ErrorReply {
  const requestId = `fault-proxy-${variant.toString(16)}`;
  if (service === 's3') {
    const [status, code, message] =
      fault === 'throttle'
        ? [503, 'SlowDown', 'Please reduce your request rate.']
        : [500, 'InternalError', 'We encountered an internal error. Please try again.'];
    return {
      status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
    };
  }
  const [status, code, fault_, message] =
    fault === 'serverError'
      ? [500, 'InternalFailure', 'Receiver', 'The request processing has failed because of an unknown error.']
      : variant % 2 === 0
        ? [400, 'RequestThrottled', 'Sender', 'Rate exceeded.']
        : [503, 'ServiceUnavailable', 'Receiver', 'The request has failed due to a temporary failure of the server.'];
  if (typeof requestHeaders['x-amz-target'] === 'string') {
    return {
      status,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${code};${fault_}`,
      },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }),
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>${fault_}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
