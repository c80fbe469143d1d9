import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { readLambdaEnv, type LambdaEnv, type QueueStage } from '../config/index.js';
import { configuredEmbedder, type EmbedderLoader } from '../adapters/embed/index.js';
import { withFaultSwitch, type SqsHandler } from '../adapters/faults/index.js';
import type { ObjectStore } from '../domain/items/index.js';
import { createPipelineMetrics } from '../adapters/observability/index.js';
import { createS3Client, createSqsClient, type ConditionalWriteSupport } from '../adapters/store/index.js';

/**
 * What a stage's handler is built from, wherever it runs. The Lambda entry
 * points wire it from the environment the stack sets (lambdaSqsEntry below);
 * the local mode wires it from the emulators' clients and the queues it
 * created, and calls the same build functions.
 */
export interface StageWiring {
  env: LambdaEnv;
  s3: S3Client;
  sqs: SQSClient;
  /** The fault switch's store wrapper (functions/adapters/faults): the identity unless a fault plan is set. */
  wrapStore: (store: ObjectStore) => ObjectStore;
  /** 'native' on AWS and moto_server; 'emulated' over s3rver, which ignores conditional writes. */
  conditionalWrites: ConditionalWriteSupport;
  /** Powertools logger; each handler makes its own when absent. */
  logger?: Logger;
  /** Embedded-format metrics; the local mode runs without. */
  metrics?: Metrics;
  /**
   * The environment's embedder (functions/adapters/embed): the default, or the configured model, made once.
   * The local mode gives every stage and the API the same one, as every function on AWS is told the same model.
   */
  embedder: EmbedderLoader;
  /** In Lambda one invocation runs per environment at a time, so what a killed one left in /tmp may be cleared. */
  inLambda: boolean;
}

export type StageHandlerBuilder = (wiring: StageWiring) => SqsHandler;

/**
 * A handler whose dependencies take a moment to make (a model to load): made
 * on the first invocation and kept; if making them fails, that invocation
 * fails (its messages come back) and the next one tries again.
 */
export function handlerWhenReady(make: () => Promise<SqsHandler>): SqsHandler {
  let ready: Promise<SqsHandler> | undefined;
  return async (event, context) => {
    ready ??= make().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return (await ready)(event, context);
  };
}

/**
 * A queue stage's Lambda entry point: wired from the environment on the first
 * invocation and kept for the environment's life. Stages that carry uploads
 * get the environment's fault switch.
 */
export function lambdaSqsEntry(stage: QueueStage, build: StageHandlerBuilder): SqsHandler {
  let handler: SqsHandler | undefined;
  const wire = (wrapStore: StageWiring['wrapStore']) => build(lambdaWiring(stage.service, wrapStore));
  return (event, context) => {
    handler ??= stage.carriesUploads ? withFaultSwitch(process.env, wire) : wire((store) => store);
    return handler(event, context);
  };
}

/** Clients for the function's own region and account, names from the environment the stack sets. */
function lambdaWiring(service: string, wrapStore: StageWiring['wrapStore']): StageWiring {
  const env = readLambdaEnv(process.env);
  const s3 = createS3Client();
  return {
    env,
    s3,
    sqs: createSqsClient(),
    wrapStore,
    embedder: configuredEmbedder(env.embeddingModel, s3),
    conditionalWrites: 'native',
    metrics: createPipelineMetrics(service),
    inLambda: true,
  };
}
