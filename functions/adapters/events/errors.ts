/** A queue message that is not what its queue carries (an S3 event notification, a video job). */
export class UnrecognisedMessageError extends Error {
  readonly code = 'unrecognised-message';
  constructor(detail: string, queue = 'ingest', expected = 'an S3 event notification') {
    super(`the ${queue} queue received a message that is not ${expected}: ${detail}`);
    this.name = 'UnrecognisedMessageError';
  }
}
