/** A request the API refuses; `status` is the 4xx to answer with, `message` says what to change. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 409 | 413 | 415 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A 503's sentence when the storage failed transiently (throttled, reset, failing) even after retries: the client may try again. */
export const storageUnavailableSentence = 'the storage did not answer in time; try again in a moment';
