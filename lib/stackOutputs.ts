import type { QueueStageName } from '../functions/config/index.js';

/**
 * CloudFormation output keys of the stack: the CLI resolves a deployed stack's
 * bucket, viewer URL and queues from these, so they are named once, here.
 */
export const stackOutputKeys = {
  mediaBucketName: 'MediaBucketName',
  uploadPrefix: 'UploadPrefix',
  viewerUrl: 'ViewerUrl',
  apiFunctionName: 'ApiFunctionName',
  /** Subscribe to it (e-mail, chat) to hear about the alarms. */
  alarmTopicArn: 'AlarmTopicArn',
  dashboardUrl: 'DashboardUrl',
  /** Sign-in: the Cognito user pool users are added to (absent with another OpenID issuer). */
  userPoolId: 'UserPoolId',
  /** The secret holding the CloudFront signing key: the CLI reads it to sign share links and its own API calls. */
  signingKeySecretArn: 'SigningKeySecretArn',
  /** The CloudFront public key id signed cookies and URLs name. */
  signingKeyPairId: 'SigningKeyPairId',
} as const;

/** Each stage's queue URLs: IngestQueueUrl and IngestDeadLetterQueueUrl, and so on for every row of the stage table. */
export function queueOutputKeys(stage: QueueStageName): { work: string; deadLetter: string } {
  const prefix = stage.charAt(0).toUpperCase() + stage.slice(1);
  return { work: `${prefix}QueueUrl`, deadLetter: `${prefix}DeadLetterQueueUrl` };
}
