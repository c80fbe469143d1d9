import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pipelineConfig } from '../../../functions/config/index.js';
import {
  configDocComments,
  configLeafPaths,
  configSources,
  currentConfigReference,
  renderConfigReference,
  withConfigReference,
} from '../../../scripts/configReference.js';

const fixIt = 'run `npm run docs:config` to regenerate the README reference from functions/config/pipelineConfig.ts';

describe('the README configuration reference', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = currentConfigReference(readme);

  it('lists every config key', () => {
    expect(section, 'README.md has no config reference markers').toBeDefined();
    const missing = configLeafPaths(pipelineConfig).filter((path) => !section!.includes(`| \`${path}\` |`));
    expect(missing, fixIt).toEqual([]);
  });

  it('is exactly what the generator writes from the config as it is now (values and comments)', () => {
    expect(section, fixIt).toBe(renderConfigReference(pipelineConfig, configDocComments(...configSources)));
  });
});

describe('the config reference generator', () => {
  const comments = configDocComments(...configSources);

  it('reads the doc comment above a key, and above a section', () => {
    expect(comments.get('ingest.maxReceiveCount')).toBe('Receives before a message is moved to the dead-letter queue.');
    expect(comments.get('monitoring')).toMatch(/^What the functions report and the stack watches/);
    expect(comments.get('ingest.memoryMb')).toBe('');
  });

  it('writes computed values as evaluated and arrays whole', () => {
    const reference = renderConfigReference(pipelineConfig, comments);
    expect(reference).toContain(`| \`ingest.visibilityTimeoutSeconds\` | \`${pipelineConfig.ingest.visibilityTimeoutSeconds}\` |`);
    expect(reference).toContain(`| \`foveation.profiles\` | \`${JSON.stringify(pipelineConfig.foveation.profiles)}\` |`);
    expect(reference).toContain('#### `monitoring`');
  });

  it('replaces only what is between the markers, and refuses a README without them', () => {
    const readme = readFileSync('README.md', 'utf8');
    const rewritten = withConfigReference(readme, 'NEW');
    expect(currentConfigReference(rewritten)).toBe('NEW');
    const [before] = readme.split('<!-- config-reference:start');
    expect(rewritten.startsWith(before!)).toBe(true);
    expect(() => withConfigReference('# no markers', 'x')).toThrow(/no config reference markers/);
  });
});
