import { describe, expect, it } from 'vitest';
import { lambdaEnvRecord, MissingEnvError, pipelineConfig, readLambdaEnv } from '../../../functions/config/index.js';

describe('pipelineConfig', () => {
  it('keeps the ingest queue visibility at least 6x the function timeout (AWS guidance)', () => {
    expect(pipelineConfig.ingest.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * pipelineConfig.ingest.timeoutSeconds);
  });

  it('ends every key prefix with a slash and keeps them disjoint', () => {
    const prefixes = Object.values(pipelineConfig.prefixes);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z]+\/$/);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('sizes the thumbnail below the preview', () => {
    expect(pipelineConfig.image.thumbLongSidePx).toBeLessThan(pipelineConfig.image.previewLongSidePx);
  });
});

describe('lambda environment contract', () => {
  it('round-trips through the record the stack sets', () => {
    expect(readLambdaEnv(lambdaEnvRecord({ mediaBucket: 'b' }))).toEqual({ mediaBucket: 'b' });
  });

  it('names the missing variable', () => {
    expect(() => readLambdaEnv({})).toThrow(MissingEnvError);
    expect(() => readLambdaEnv({})).toThrow(/MEDIA_BUCKET/);
  });
});
