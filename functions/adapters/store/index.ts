export { S3ObjectStore } from './s3ObjectStore.js';
export { SqsVideoJobQueue } from './sqsVideoJobQueue.js';
export { SqsUploadEventQueue } from './sqsUploadEventQueue.js';
export { requeueUnprocessedUploads, reconcileConfigurationId, type IngestQueueTarget } from './requeueUnprocessedUploads.js';
export { listDeadLetters, redriveDeadLetters, type DeadLetter, type DeadLetterSource } from './deadLetters.js';
export { SqsIndexUpdateQueue } from './sqsIndexUpdateQueue.js';
export { createS3Client, createSqsClient, type AwsTarget } from './awsClients.js';
export { S3IndexStorage, type ConditionalWriteSupport } from './s3IndexStorage.js';
export { messageCounts, queueDepths, type QueuePair } from './queueDepths.js';
