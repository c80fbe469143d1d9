/**
 * Exit codes scripts can rely on (README "Exit codes"). Every failure the CLI
 * knows how to name is a CliError carrying one of them.
 */
export const exitCodes = {
  /** Done; nothing needs attention. */
  ok: 0,
  /** The command ran, and something failed or needs attention (a file not uploaded or rejected, dead letters, a redrive that left messages). */
  failed: 1,
  /** The command line is wrong: unknown option, missing argument, a path that does not exist. */
  usage: 2,
  /** The pipeline did not answer: `npm start` not running, wrong endpoint, no AWS credentials. */
  unreachable: 3,
  /** What was named does not exist: an item, an error record, a stack. */
  notFound: 4,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.usage);
    this.name = 'UsageError';
  }
}

export class UnreachableError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.unreachable);
    this.name = 'UnreachableError';
  }
}

export class NotFoundError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.notFound);
    this.name = 'NotFoundError';
  }
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const credentialErrorNames = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/** Why nothing answered, when that is what the error says: the SDK and fetch wrap socket errors in `cause`. */
export function connectionFailureOf(error: unknown): string | undefined {
  for (
    let current = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth += 1
  ) {
    if (typeof current.code === 'string' && connectionErrorCodes.has(current.code)) return current.code;
    if (typeof current.name === 'string' && credentialErrorNames.has(current.name)) return `${current.name}: no usable AWS credentials`;
    if (current.name === 'TimeoutError') return 'timed out';
  }
  return undefined;
}
