/**
 * A stage's worker in a process of its own (startProcessWorker): it builds the handler exactly as the in-process
 * local mode does, then runs the invocations the parent sends, reporting each write step of its item store so a
 * kill plan can strike mid-item. It dies with its parent: a machine that goes down takes its workers with it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readLambdaEnv } from '../functions/config/index.js';
import { configuredEmbedder } from '../functions/adapters/embed/index.js';
import { InjectedFaultError, isWriteStep } from '../functions/adapters/faults/index.js';
import { createS3Client, createSqsClient } from '../functions/adapters/store/index.js';
import type { ObjectStore } from '../functions/domain/items/index.js';
import { createLocalFaults } from './localFaults.js';
import type { Invocation, WorkerReport, WorkerSetup } from './processWorker.js';
import { stageHandlers } from './stageHandlers.js';

const report = (message: WorkerReport) => process.send?.(message);

process.on('disconnect', () => process.exit(0));

process.once('message', (setup: WorkerSetup) => {
  const s3 = createS3Client(setup.s3);
  const env = readLambdaEnv(setup.env);
  const faults = createLocalFaults(setup.faults);
  let writes = 0;
  const reportingWrites = (store: ObjectStore): ObjectStore =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string' || !isWriteStep(property)) return value;
        return async (...args: unknown[]) => {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          writes += 1;
          report({ type: 'write', step: writes });
          return result;
        };
      },
    });
  const build = (wrapStore: (store: ObjectStore) => ObjectStore) =>
    stageHandlers[setup.stage]({
      env,
      s3,
      sqs: createSqsClient(setup.sqs),
      wrapStore: (store) => reportingWrites(wrapStore(store)),
      conditionalWrites: setup.conditionalWrites,
      embedder: configuredEmbedder(env.embeddingModel, s3),
      logger: new Logger({ serviceName: setup.service, logLevel: setup.logLevel as 'SILENT' }),
      inLambda: false,
    });
  const handler = faults.worker(build);

  process.on('message', (invocation: Invocation) => {
    writes = 0;
    const deadline = Date.now() + invocation.remainingMs;
    const context: Context = {
      ...invocation.context,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    handler(invocation.event, context).then(
      (response) => report({ type: 'result', response, faultStats: faults.stats() }),
      (error: unknown) =>
        report({
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
          injected: error instanceof InjectedFaultError,
          faultStats: faults.stats(),
        }),
    );
  });
  report({ type: 'ready' });
});
