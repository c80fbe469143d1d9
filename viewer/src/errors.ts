/** Base of every error the viewer explains to people. */
class ViewerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ViewerError';
  }
}

/** The request never got an HTTP answer: server down, offline, blocked. */
export class ApiUnreachableError extends ViewerError {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`the API at ${url} could not be reached (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'ApiUnreachableError';
  }
}

/** The API answered, but not with what the contract promises. */
export class ApiResponseError extends ViewerError {
  constructor(
    readonly url: string,
    readonly status: number,
    detail: string,
  ) {
    super(`the API at ${url} answered ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'ApiResponseError';
  }
}
