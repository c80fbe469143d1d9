export { parseIngestMessage, type IngestCommand } from './parseIngestMessage.js';
export { buildS3EventNotification, type ObjectEvent } from './buildS3EventNotification.js';
export { buildS3TestEvent } from './buildS3TestEvent.js';
export { decodeS3EventKey, encodeS3EventKey } from './s3EventKey.js';
export { buildVideoJobMessage, parseVideoJobMessage } from './videoJobMessage.js';
export { buildIndexUpdateMessages, parseIndexUpdateMessage } from './indexUpdateMessage.js';
export { UnrecognisedMessageError } from './errors.js';
