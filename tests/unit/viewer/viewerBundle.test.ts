import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../functions/config/index.js';

/** `npm test` builds the viewer first (pretest); this reads what a browser would be sent. */
const assets = join('viewer', 'dist', 'assets');

describe('the viewer bundle', () => {
  it('carries the viewer and foveation settings and nothing else of the configuration', () => {
    const scripts = readdirSync(assets)
      .filter((name) => name.endsWith('.js'))
      .map((name) => readFileSync(join(assets, name), 'utf8'))
      .join('\n');
    expect(scripts).toContain(pipelineConfig.foveation.profiles[0]);
    // The local mode's credentials, queue names and the indexer's settings stay out of what a browser loads.
    for (const secret of [
      pipelineConfig.local.secretAccessKey,
      pipelineConfig.local.ingestDeadLetterQueue,
      pipelineConfig.local.indexQueue,
    ]) {
      expect(scripts).not.toContain(secret);
    }
  });
});
