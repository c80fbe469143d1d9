import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../functions/config/index.js';

describe('reconciliation settings', () => {
  const { ingest, video, reconcile } = pipelineConfig;

  it('leaves an upload alone for at least as long as its event can legitimately wait: every ingest receive, then every video receive', () => {
    const longestWaitSeconds =
      ingest.maxReceiveCount * ingest.visibilityTimeoutSeconds + video.maxReceiveCount * video.visibilityTimeoutSeconds;
    expect(reconcile.minUploadAgeSeconds).toBeGreaterThanOrEqual(longestWaitSeconds);
  });

  it('stops a sweep in time for its own timeout', () => {
    expect(reconcile.reserveSeconds).toBeGreaterThan(0);
    expect(reconcile.reserveSeconds).toBeLessThan(reconcile.timeoutSeconds / 2);
  });
});
