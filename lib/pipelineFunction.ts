import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, type ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledgeFindings, runtimeFinding } from './nagFindings.js';
import { repoPaths } from './repoPaths.js';

export interface PipelineFunctionProps {
  /** A handler module under functions/handlers/ that exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /** Packages installed into the asset instead of bundled: native code that esbuild cannot inline. */
  nodeModules?: string[];
  /** Packages left out of the bundle and not installed: the function never loads them where it runs. */
  externalModules?: string[];
  reservedConcurrency?: number;
  /** Size of /tmp; Lambda's default is 512 MB. */
  ephemeralStorageMb?: number;
  layers?: ILayerVersion[];
}

/**
 * The ESM banner: some CommonJS dependencies call require() for Node built-ins,
 * and an ES module has no `require` unless it makes one.
 */
const createRequireBanner = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * npm settings for installing `nodeModules`: fetch the linux-x64 glibc builds of
 * native packages (sharp's @img/sharp-linux-x64) whatever machine synthesizes,
 * because that is what the x86_64 Lambda runtime loads.
 */
const lambdaPlatformNpmConfig = { npm_config_os: 'linux', npm_config_cpu: 'x64', npm_config_libc: 'glibc' };

/**
 * A Node.js Lambda function as every handler in this pipeline is deployed:
 * ESM, Node 22, x86_64, its own log group, and a role of its own that may write
 * to that log group and nothing else until it is granted more (not the
 * AWSLambdaBasicExecutionRole managed policy, which may write to any log group).
 */
export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      // Logs expire anyway; keeping them after the stack is gone only leaves orphans.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      // Must match lambdaPlatformNpmConfig.
      architecture: Architecture.X86_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      environment: props.environment,
      logGroup,
      // JSON all through: Powertools' lines as they are, and Lambda's own START/END/REPORT lines as JSON too, so Logs Insights queries fields.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.INFO,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      ...(props.ephemeralStorageMb === undefined ? {} : { ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMb) }),
      ...(props.layers ? { layers: props.layers } : {}),
      projectRoot: repoPaths.root,
      depsLockFilePath: repoPaths.lockFile,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // Prefer a dependency's ES module build where it ships one.
        mainFields: ['module', 'main'],
        banner: createRequireBanner,
        // Bundle the AWS SDK too: the function runs the SDK version the tests ran, not whichever the runtime ships.
        externalModules: props.externalModules ?? [],
        // Only when there is something to install: an empty list would still copy package.json and the lockfile in.
        ...(props.nodeModules ? { nodeModules: props.nodeModules, environment: lambdaPlatformNpmConfig } : {}),
        // Unminified and without source maps, stack traces in the logs still name our functions.
        minify: false,
        sourceMap: false,
      },
    });
    acknowledgeFindings(
      this,
      'Pinned to nodejs22.x on purpose: the runtime the handlers, their native modules (sharp) and the tests are built and run for; moving to a newer runtime is a tested upgrade, not a default.',
      runtimeFinding,
    );
  }
}
