/**
 * The environment contract between the stack (lib/) and the handlers
 * (functions/handlers/): every variable a handler reads is named here once.
 */
export const lambdaEnvNames = {
  mediaBucket: 'MEDIA_BUCKET',
  /** Ingest: the queue sniffed videos are handed to. */
  videoQueueUrl: 'VIDEO_QUEUE_URL',
  /** Ingest and video: the index FIFO queue items are announced to. */
  indexQueueUrl: 'INDEX_QUEUE_URL',
  /** Video: the ffmpeg layer's binaries; unset, functions/domain/video uses the npm installers' (local mode). */
  ffmpegPath: 'FFMPEG_PATH',
  ffprobePath: 'FFPROBE_PATH',
  /** Reconcile: the queue uploads without an outcome are announced to again. */
  ingestQueueUrl: 'INGEST_QUEUE_URL',
  /** Auth: the OpenID issuer URL (the stack's Cognito user pool, or one given at deploy). */
  accessIssuer: 'ACCESS_ISSUER',
  /** Auth: the SSM parameter holding its AccessSettings JSON (client id, site origin). */
  accessSettingsParameter: 'ACCESS_SETTINGS_PARAMETER',
  /** Auth: the Secrets Manager secret holding the CloudFront signing key (PEM). */
  accessSigningKeySecret: 'ACCESS_SIGNING_KEY_SECRET',
  /** Auth: the CloudFront public key id the cookies name (CloudFront-Key-Pair-Id). */
  accessKeyPairId: 'ACCESS_KEY_PAIR_ID',
  /** Auth: comma-separated e-mail addresses allowed in; empty lets in every user of the issuer (a Cognito pool the stack owns). */
  accessAllowedEmails: 'ACCESS_ALLOWED_EMAILS',
  /** Auth, optional: the Secrets Manager secret holding the client secret of a provider that requires one (Google). */
  accessClientSecret: 'ACCESS_CLIENT_SECRET',
  /**
   * The fault-injection switch (functions/adapters/faults): a JSON fault plan. Never set
   * by the stack; set it by hand on a function in a test account to drill failures.
   */
  faultPlan: 'XR_FAULT_PLAN',
} as const;

export interface LambdaEnv {
  mediaBucket: string;
  /** Set on the ingest function only. */
  videoQueueUrl?: string;
  /** Set on the functions that complete items (ingest, video). */
  indexQueueUrl?: string;
  /** Set on the reconcile function only. */
  ingestQueueUrl?: string;
}

export class MissingEnvError extends Error {
  constructor(variable: string) {
    super(`environment variable ${variable} is not set; the stack sets it on every function`);
    this.name = 'MissingEnvError';
  }
}

export function readLambdaEnv(env: NodeJS.ProcessEnv): LambdaEnv {
  const mediaBucket = env[lambdaEnvNames.mediaBucket];
  if (!mediaBucket) throw new MissingEnvError(lambdaEnvNames.mediaBucket);
  const videoQueueUrl = env[lambdaEnvNames.videoQueueUrl];
  const indexQueueUrl = env[lambdaEnvNames.indexQueueUrl];
  const ingestQueueUrl = env[lambdaEnvNames.ingestQueueUrl];
  return {
    mediaBucket,
    ...(videoQueueUrl ? { videoQueueUrl } : {}),
    ...(indexQueueUrl ? { indexQueueUrl } : {}),
    ...(ingestQueueUrl ? { ingestQueueUrl } : {}),
  };
}

/** The variables the stack sets, as a plain record for `environment:`. */
export function lambdaEnvRecord(env: LambdaEnv): Record<string, string> {
  return {
    [lambdaEnvNames.mediaBucket]: env.mediaBucket,
    ...(env.videoQueueUrl ? { [lambdaEnvNames.videoQueueUrl]: env.videoQueueUrl } : {}),
    ...(env.indexQueueUrl ? { [lambdaEnvNames.indexQueueUrl]: env.indexQueueUrl } : {}),
    ...(env.ingestQueueUrl ? { [lambdaEnvNames.ingestQueueUrl]: env.ingestQueueUrl } : {}),
  };
}

/** What the auth function is told by the stack. */
export interface AccessEnv {
  issuer: string;
  settingsParameter: string;
  signingKeySecret: string;
  keyPairId: string;
  allowedEmails: string[];
  /** Absent: a public client (PKCE only). */
  clientSecretName?: string;
}

export function readAccessEnv(env: NodeJS.ProcessEnv): AccessEnv {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new MissingEnvError(name);
    return value;
  };
  return {
    issuer: required(lambdaEnvNames.accessIssuer),
    settingsParameter: required(lambdaEnvNames.accessSettingsParameter),
    signingKeySecret: required(lambdaEnvNames.accessSigningKeySecret),
    keyPairId: required(lambdaEnvNames.accessKeyPairId),
    allowedEmails: (env[lambdaEnvNames.accessAllowedEmails] ?? '')
      .split(',')
      .map((email) => email.trim())
      .filter((email) => email !== ''),
    ...(env[lambdaEnvNames.accessClientSecret] ? { clientSecretName: env[lambdaEnvNames.accessClientSecret] } : {}),
  };
}
