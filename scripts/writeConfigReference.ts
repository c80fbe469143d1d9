/** `npm run docs:config`: rewrites the README's configuration reference from functions/config/pipelineConfig.ts. */
import { readFile, writeFile } from 'node:fs/promises';
import { pipelineConfig } from '../functions/config/index.js';
import { configDocComments, configSources, currentConfigReference, renderConfigReference, withConfigReference } from './configReference.js';

const readmePath = 'README.md';
const readme = await readFile(readmePath, 'utf8');
const reference = renderConfigReference(pipelineConfig, configDocComments(...configSources));
if (currentConfigReference(readme) === reference) {
  console.log('README.md configuration reference is up to date');
} else {
  await writeFile(readmePath, withConfigReference(readme, reference));
  console.log('README.md configuration reference rewritten from functions/config/pipelineConfig.ts');
}
