import { CliError, connectionFailureOf, UnreachableError, UsageError } from './errors.js';
import { defaultLocalEndpoints, localTarget, stackTarget, type PipelineTarget } from './resolveTarget.js';

/** The options every subcommand takes: which pipeline to talk to. */
export interface TargetOptions {
  stack?: string;
  endpoint?: string;
  s3Endpoint?: string;
  sqsEndpoint?: string;
  viewerUrl?: string;
  dataDir?: string;
}

/** Resolves the pipeline, runs `use` against it, and turns "nothing answered" into exit code 3 with a hint. */
export async function withTarget<T>(options: TargetOptions, use: (target: PipelineTarget) => Promise<T>): Promise<T> {
  const target = await unreachableAsCliError(
    () => resolveTarget(options),
    'the AWS account',
    'check your AWS credentials and region (AWS_PROFILE, AWS_REGION)',
  );
  try {
    return await unreachableAsCliError(() => use(target), target.description, target.unreachableHint);
  } finally {
    target.close();
  }
}

function resolveTarget(options: TargetOptions): Promise<PipelineTarget> {
  if (options.stack) {
    if (options.s3Endpoint ?? options.sqsEndpoint ?? options.viewerUrl ?? options.dataDir) {
      throw new UsageError(
        '--stack finds its endpoints in the stack outputs; --s3-endpoint, --sqs-endpoint, --viewer-url and --data-dir are for the local mode',
      );
    }
    return stackTarget(options.stack, options.endpoint);
  }
  const defaults = defaultLocalEndpoints();
  return Promise.resolve(
    localTarget({
      s3: options.s3Endpoint ?? options.endpoint ?? defaults.s3,
      sqs: options.sqsEndpoint ?? options.endpoint ?? defaults.sqs,
      viewer: options.viewerUrl ?? defaults.viewer,
      dataDir: options.dataDir ?? defaults.dataDir,
    }),
  );
}

async function unreachableAsCliError<T>(run: () => Promise<T>, what: string, hint: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const failure = error instanceof CliError ? undefined : connectionFailureOf(error);
    if (failure) throw new UnreachableError(`${what} did not answer (${failure}); ${hint}`);
    throw error;
  }
}
