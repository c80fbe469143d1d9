/**
 * The local pipeline in a process of its own (startPipelineProcess): everything of ours (event source mappings,
 * workers, the HTTP server and API, the fault proxies) and nothing of the storage's. At start it reconciles, as
 * `npm start` does, so whatever a killed predecessor left half done goes round again.
 */
import type { FaultStats } from '../functions/adapters/faults/index.js';
import type { FaultProxyStats } from './faultProxy.js';
import { startLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from './localPipeline.js';

/** What the parent may ask; each answered by a reply with the same id. */
export type PipelineCommand =
  | { type: 'start'; options: LocalPipelineOptions }
  | { type: 'idle'; id: number; timeoutMs: number }
  | { type: 'reconcile'; id: number; orphanMinAgeMs: number };

export interface PipelineStatus {
  faults: FaultStats;
  processKills: number;
  processedMessages: number;
  network: FaultProxyStats[];
}

export type PipelineReport =
  | { type: 'ready'; viewerUrl: string; startupSweep: ReconcileSummary }
  | { type: 'status'; status: PipelineStatus }
  | { type: 'reply'; id: number; value?: ReconcileSummary }
  | { type: 'failed'; id: number; message: string };

export interface ReconcileSummary {
  requeued: number;
  indexRepaired: number;
  orphansRemoved: number;
  /** Sweeps that failed whole (the faulty network) and were made again. */
  retries: number;
}

const report = (message: PipelineReport) => process.send?.(message);
const sweepAttempts = 5;

/** Uploads, then the index; a sweep that fails whole through a faulty network is made again, as the scheduled one would be. */
async function reconcile(pipeline: LocalPipeline, orphanMinAgeMs?: number): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { requeued: 0, indexRepaired: 0, orphansRemoved: 0, retries: 0 };
  const again = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (attempt === sweepAttempts) throw error;
        summary.retries += 1;
      }
    }
  };
  summary.requeued = await again(() => pipeline.reconcile());
  const index = await again(() => pipeline.reconcileIndex(orphanMinAgeMs === undefined ? {} : { orphanMinAgeMs }));
  summary.indexRepaired = index.reannounced.length + index.removed.length;
  summary.orphansRemoved = index.orphansRemoved.length;
  return summary;
}

// The parent gone (killed with the machine): so are we.
process.on('disconnect', () => process.exit(0));

process.once('message', (start: PipelineCommand) => {
  if (start.type !== 'start') return;
  void (async () => {
    const pipeline = await startLocalPipeline(start.options);
    const status = (): PipelineStatus => ({
      faults: pipeline.faultStats(),
      processKills: pipeline.processKills(),
      processedMessages: pipeline.processedMessages(),
      network: pipeline.faultProxy ? [pipeline.faultProxy.s3.stats(), pipeline.faultProxy.sqs.stats()] : [],
    });
    setInterval(() => report({ type: 'status', status: status() }), 250).unref();
    process.on('message', (command: PipelineCommand) => {
      if (command.type === 'start') return;
      const work =
        command.type === 'idle'
          ? pipeline.waitForIdle(command.timeoutMs).then(() => undefined)
          : reconcile(pipeline, command.orphanMinAgeMs);
      work.then(
        (value) => {
          report({ type: 'status', status: status() });
          report({ type: 'reply', id: command.id, ...(value ? { value } : {}) });
        },
        (error: unknown) => report({ type: 'failed', id: command.id, message: error instanceof Error ? error.message : String(error) }),
      );
    });
    report({ type: 'ready', viewerUrl: pipeline.viewerUrl, startupSweep: await reconcile(pipeline) });
  })().catch((error: unknown) => {
    console.error(`pipeline process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
});
