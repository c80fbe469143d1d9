import {
  embeddingModelSpecJson,
  parseEmbeddingModelSpec,
  InvalidEmbeddingModelError,
  type EmbeddingModelSetting,
} from './embeddingModel.js';

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
  /**
   * Ingest, video, indexer and API: a model of your own (s3://bucket/key; a file path in the local mode).
   * Unset, they embed with the weight-free default embedder.
   */
  embeddingModel: 'EMBEDDING_MODEL',
  /** With EMBEDDING_MODEL: its declaration, JSON (name, version, preprocessing; functions/config/embeddingModel.ts). */
  embeddingModelSpec: 'EMBEDDING_MODEL_SPEC',
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
  /** Set on the functions that embed (ingest, video, indexer, API) when a model of your own is configured. */
  embeddingModel?: EmbeddingModelSetting;
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
  const embeddingModel = readEmbeddingModel(env);
  return {
    mediaBucket,
    ...(videoQueueUrl ? { videoQueueUrl } : {}),
    ...(indexQueueUrl ? { indexQueueUrl } : {}),
    ...(ingestQueueUrl ? { ingestQueueUrl } : {}),
    ...(embeddingModel ? { embeddingModel } : {}),
  };
}

/** Both variables or neither: a model without its declaration, or the reverse, is a broken deploy. */
function readEmbeddingModel(env: NodeJS.ProcessEnv): EmbeddingModelSetting | undefined {
  const model = env[lambdaEnvNames.embeddingModel];
  const specJson = env[lambdaEnvNames.embeddingModelSpec];
  if (!model && !specJson) return undefined;
  if (!model || !specJson)
    throw new InvalidEmbeddingModelError(
      `${model ? lambdaEnvNames.embeddingModelSpec : lambdaEnvNames.embeddingModel} is not set but ` +
        `${model ? lambdaEnvNames.embeddingModel : lambdaEnvNames.embeddingModelSpec} is; the stack sets both or neither`,
    );
  let spec: unknown;
  try {
    spec = JSON.parse(specJson);
  } catch (error) {
    throw new InvalidEmbeddingModelError(`${lambdaEnvNames.embeddingModelSpec} is not JSON: ${(error as Error).message}`);
  }
  return { model, spec: parseEmbeddingModelSpec(spec, lambdaEnvNames.embeddingModelSpec) };
}

/** The variables the stack sets, as a plain record for `environment:`. */
export function lambdaEnvRecord(env: LambdaEnv): Record<string, string> {
  return {
    [lambdaEnvNames.mediaBucket]: env.mediaBucket,
    ...(env.videoQueueUrl ? { [lambdaEnvNames.videoQueueUrl]: env.videoQueueUrl } : {}),
    ...(env.indexQueueUrl ? { [lambdaEnvNames.indexQueueUrl]: env.indexQueueUrl } : {}),
    ...(env.ingestQueueUrl ? { [lambdaEnvNames.ingestQueueUrl]: env.ingestQueueUrl } : {}),
    ...(env.embeddingModel ? embeddingModelEnvRecord(env.embeddingModel) : {}),
  };
}

/** The two variables that tell a function which model to embed with. */
export function embeddingModelEnvRecord(setting: EmbeddingModelSetting): Record<string, string> {
  return {
    [lambdaEnvNames.embeddingModel]: setting.model,
    [lambdaEnvNames.embeddingModelSpec]: embeddingModelSpecJson(setting.spec),
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
