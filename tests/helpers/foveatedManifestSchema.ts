import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** The published JSON Schema, compiled once with a strict draft 2020-12 validator. */
const schema = JSON.parse(
  readFileSync(new URL('../../functions/domain/foveate/foveatedManifest.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** Schema errors as readable lines; empty when the document is valid. */
export function foveatedManifestSchemaErrors(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
