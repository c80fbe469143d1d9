/** Failures worth another try: the connection was reset or timed out, or the service said it was busy or failing. */
const transientCodes = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
const transientNames = new Set([
  'TimeoutError',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestTimeout',
  'ServiceUnavailable',
  'InternalError',
]);

/**
 * Whether a failed call may succeed if made again (a refused connection is
 * not: nothing listens there). The SDK and fetch wrap socket errors in `cause`.
 */
export function isTransientFailure(error: unknown): boolean {
  for (
    let current = error as { code?: unknown; name?: unknown; cause?: unknown; $metadata?: { httpStatusCode?: number } } | undefined,
      depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth += 1
  ) {
    if (typeof current.code === 'string' && transientCodes.has(current.code)) return true;
    if (typeof current.name === 'string' && transientNames.has(current.name)) return true;
    const status = current.$metadata?.httpStatusCode;
    if (status !== undefined && (status >= 500 || status === 429)) return true;
  }
  return false;
}
