import { errorMessage } from './errorMessage.js';

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
    super(`the API at ${url} could not be reached (${errorMessage(cause)})`, { cause });
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

/** The site no longer lets this viewer in and signing in again would not help (a share link expired): the message says what to do. */
export class AccessEndedError extends ViewerError {
  constructor(message: string) {
    super(message);
    this.name = 'AccessEndedError';
  }
}
