import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig } from '../../functions/config/index.js';
import { synthesizeStack, type CfnResource, type SynthesizedStack } from '../helpers/stackUnderTest.js';

/**
 * The retrieval index in the synthesized stack, seen from who may touch it:
 * the indexer alone writes index/, only item-completing functions announce to
 * its queue, and a shard's failed commit comes back without its batch-mates.
 */
const { vq, indexer } = pipelineConfig;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const logicalIdOf = (value: unknown) =>
  (value as { 'Fn::GetAtt'?: [string, string]; Ref?: string })['Fn::GetAtt']?.[0] ?? (value as { Ref?: string }).Ref;

describe('retrieval index resources', () => {
  let stack: SynthesizedStack;
  let indexQueueId: string;
  let indexerId: string;
  let mapping: CfnResource;
  let mediaBucketId: string;

  /** Every allowed statement of the policies attached to a role. */
  const statementsOf = (roleId: string): Statement[] =>
    stack
      .ofType('AWS::IAM::Policy')
      .filter(([, policy]) => asArray(policy.Properties?.Roles).some((role) => logicalIdOf(role) === roleId))
      .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow');
  const roleOf = (functionId: string) => logicalIdOf(stack.resources[functionId]!.Properties?.Role)!;
  const functionIds = () => stack.ofType('AWS::Lambda::Function').map(([id]) => id);
  /** The object patterns under the media bucket a statement names, e.g. '/index/*'. */
  const objectPatterns = (statement: Statement) =>
    asArray(statement.Resource).flatMap((resource) => {
      const parts = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1];
      return parts?.length === 2 && logicalIdOf(parts[0]) === mediaBucketId && typeof parts[1] === 'string' ? [parts[1]] : [];
    });

  beforeAll(() => {
    stack = synthesizeStack();
    const fifoQueues = stack
      .ofType('AWS::SQS::Queue')
      .filter(([, queue]) => queue.Properties?.FifoQueue === true && queue.Properties?.RedrivePolicy);
    expect(fifoQueues).toHaveLength(1);
    indexQueueId = fifoQueues[0]![0];
    const mappings = stack
      .ofType('AWS::Lambda::EventSourceMapping')
      .filter(([, candidate]) => logicalIdOf(candidate.Properties?.EventSourceArn) === indexQueueId);
    expect(mappings).toHaveLength(1);
    mapping = mappings[0]![1];
    indexerId = logicalIdOf(mapping.Properties?.FunctionName)!;
    mediaBucketId = logicalIdOf(
      (stack.resources[indexerId]!.Properties?.Environment as { Variables: Record<string, unknown> }).Variables[lambdaEnvNames.mediaBucket],
    )!;
  });

  it('hands the indexer FIFO batches and takes back only the failed messages', () => {
    expect(mapping.Properties).toMatchObject({ BatchSize: indexer.batchSize, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    // SQS FIFO gives at most 10 messages per batch and no batching window.
    expect(indexer.batchSize).toBeLessThanOrEqual(10);
    expect(mapping.Properties?.MaximumBatchingWindowInSeconds).toBeUndefined();
  });

  it('runs the indexer on nodejs22.x with the bucket as its only setting', () => {
    expect(stack.resources[indexerId]!.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Timeout: indexer.timeoutSeconds,
      MemorySize: indexer.memoryMb,
      Environment: { Variables: { [lambdaEnvNames.mediaBucket]: expect.anything() } },
    });
    expect(Object.keys((stack.resources[indexerId]!.Properties?.Environment as { Variables: object }).Variables)).toEqual([
      lambdaEnvNames.mediaBucket,
    ]);
  });

  it(`lets no function but the indexer change ${vq.prefix}, and the indexer nothing else`, () => {
    for (const functionId of functionIds()) {
      const writes = statementsOf(roleOf(functionId))
        .filter((statement) => asArray(statement.Action).some((action) => /^s3:(Put|Delete)/.test(action)))
        .flatMap(objectPatterns);
      if (functionId === indexerId) expect(writes).toEqual([`/${vq.prefix}*`]);
      else
        expect(
          writes.filter((pattern) => pattern.startsWith(`/${vq.prefix}`) || pattern === '/*'),
          functionId,
        ).toEqual([]);
    }
  });

  /** The function the reconciliation schedule runs: it reads the index's ids and announces what the index lacks. */
  const reconcileId = () => {
    const rules = stack.ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    return logicalIdOf((rules[0]![1].Properties?.Targets as { Arn: unknown }[])[0]!.Arn)!;
  };

  it(`lets only the indexer, the API and the reconciliation sweep read ${vq.prefix}`, () => {
    const readers = functionIds().filter((functionId) =>
      statementsOf(roleOf(functionId)).some(
        (statement) =>
          asArray(statement.Action).includes('s3:GetObject') &&
          objectPatterns(statement).some((pattern) => pattern === `/${vq.prefix}*` || pattern === '/*'),
      ),
    );
    // The API is the one function behind a URL that reads the bucket; the other URL is the sign-in's.
    const urlTargets = stack.ofType('AWS::Lambda::Url').map(([, url]) => logicalIdOf(url.Properties?.TargetFunctionArn)!);
    const apiIds = urlTargets.filter((functionId) => readers.includes(functionId));
    expect(apiIds).toHaveLength(1);
    expect(readers.sort()).toEqual([indexerId, apiIds[0], reconcileId()].sort());
  });

  it('lets only the functions that complete items, and the reconciliation sweep, announce them, each told the queue URL', () => {
    const senders = functionIds().filter((functionId) =>
      statementsOf(roleOf(functionId)).some(
        (statement) =>
          asArray(statement.Action).includes('sqs:SendMessage') &&
          asArray(statement.Resource).some((resource) => logicalIdOf(resource) === indexQueueId),
      ),
    );
    // Ingest (images), the video function and the sweep that re-announces what the index lost; the indexer only consumes.
    expect(senders).toHaveLength(3);
    expect(senders).toContain(reconcileId());
    expect(senders).not.toContain(indexerId);
    for (const sender of senders) {
      const variables = (stack.resources[sender]!.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(logicalIdOf(variables[lambdaEnvNames.indexQueueUrl]), sender).toBe(indexQueueId);
    }
  });
});
