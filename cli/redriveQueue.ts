import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { queueDepths, redriveDeadLetters, type QueuePair } from '../functions/adapters/store/index.js';
import { pipelineConfig } from '../functions/config/index.js';

export interface RedriveResult {
  queue: string;
  /** Dead letters when the redrive started. */
  found: number;
  moved: number;
  /** Still in the dead-letter queue afterwards (a move that failed or was still running). */
  left: number;
  /** SQS's own message move task where the endpoint has it (AWS, LocalStack), otherwise receive, send, delete. */
  method: 'none' | 'message-move-task' | 'receive-send-delete';
  failure?: string;
}

/** Error names of an SQS endpoint without StartMessageMoveTask (fauxqs answers InvalidAction). */
const unsupportedOperation = new Set(['InvalidAction', 'UnsupportedOperation', 'NotImplemented', 'UnknownOperationException']);

/** Moves a queue's dead letters back to its work queue, where the function takes them again. */
export async function redriveQueue(sqs: SQSClient, queue: QueuePair, options: { timeoutMs: number }): Promise<RedriveResult> {
  const found = (await queueDepths(sqs, queue)).deadLetters;
  if (found === 0) return { queue: queue.name, found, moved: 0, left: 0, method: 'none' };
  const moveTask = await tryMessageMoveTask(sqs, queue, options.timeoutMs);
  if (moveTask)
    return { queue: queue.name, found, ...moveTask, left: (await queueDepths(sqs, queue)).deadLetters, method: 'message-move-task' };
  // Again until nothing moves: a FIFO queue hands out at most one batch of a message group until it is deleted.
  let moved = 0;
  for (;;) {
    const batch = (await redriveDeadLetters({ sqs, deadLetterQueueUrl: queue.deadLetterUrl, workQueueUrl: queue.url })).moved.length;
    if (batch === 0) break;
    moved += batch;
  }
  const left = (await queueDepths(sqs, queue)).deadLetters;
  return {
    queue: queue.name,
    found,
    moved,
    left,
    method: 'receive-send-delete',
    ...(left > 0 ? { failure: `${left} message(s) could not be moved back` } : {}),
  };
}

/** undefined when the endpoint has no message move tasks. */
async function tryMessageMoveTask(
  sqs: SQSClient,
  queue: QueuePair,
  timeoutMs: number,
): Promise<{ moved: number; failure?: string } | undefined> {
  const [sourceArn, destinationArn] = await Promise.all([arnOf(sqs, queue.deadLetterUrl), arnOf(sqs, queue.url)]);
  let taskHandle: string | undefined;
  try {
    ({ TaskHandle: taskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
    ));
  } catch (error) {
    if (unsupportedOperation.has((error as { name?: string }).name ?? '')) return undefined;
    throw error;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
    const task = Results.find((entry) => entry.TaskHandle === taskHandle) ?? Results[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    if (task?.Status === 'COMPLETED') return { moved };
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED')
      return { moved, failure: `the move task ${task.Status.toLowerCase()}: ${task.FailureReason ?? 'no reason given'}` };
    if (Date.now() > deadline)
      return {
        moved,
        failure: `the move task was still running after ${Math.round(timeoutMs / 1000)} s; run \`status\` to watch it finish`,
      };
    await new Promise((resolve) => setTimeout(resolve, pipelineConfig.cli.redrivePollMs));
  }
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`the SQS endpoint gave no ARN for ${queueUrl}`);
  return Attributes.QueueArn;
}
