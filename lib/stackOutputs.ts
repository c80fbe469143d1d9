/**
 * CloudFormation output keys of the stack: the CLI resolves a deployed stack's
 * bucket and viewer URL from these, so they are named once, here.
 */
export const stackOutputKeys = {
  mediaBucketName: 'MediaBucketName',
  uploadPrefix: 'UploadPrefix',
  viewerUrl: 'ViewerUrl',
  ingestQueueUrl: 'IngestQueueUrl',
  ingestDeadLetterQueueUrl: 'IngestDeadLetterQueueUrl',
  apiFunctionName: 'ApiFunctionName',
  videoQueueUrl: 'VideoQueueUrl',
  videoDeadLetterQueueUrl: 'VideoDeadLetterQueueUrl',
  indexQueueUrl: 'IndexQueueUrl',
  indexDeadLetterQueueUrl: 'IndexDeadLetterQueueUrl',
  /** Subscribe to it (e-mail, chat) to hear about the alarms. */
  alarmTopicArn: 'AlarmTopicArn',
  dashboardUrl: 'DashboardUrl',
} as const;
