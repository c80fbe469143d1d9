/** A queue message that is not an S3 event notification this pipeline understands. */
export class UnrecognisedMessageError extends Error {
  readonly code = 'unrecognised-message';
  constructor(detail: string) {
    super(`the ingest queue received a message that is not an S3 event notification: ${detail}`);
    this.name = 'UnrecognisedMessageError';
  }
}
