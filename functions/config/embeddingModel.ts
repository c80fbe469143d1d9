import { readFileSync } from 'node:fs';
import { pipelineConfig } from './pipelineConfig.js';

/**
 * A bring-your-own ONNX image encoder: where its file is and what it is. The
 * same setting reaches the stack (`cdk deploy -c embeddingModel=s3://… -c
 * embeddingModelSpec=FILE`), the local mode (`npm start -- --embedding-model
 * PATH --embedding-spec FILE`) and the functions (two environment variables);
 * every embedding function and the search API read it, so they all embed with
 * one model.
 */
export interface EmbeddingModelSetting {
  /** `s3://bucket/key` (on AWS, and locally against the emulated bucket) or a file path (local mode only). */
  model: string;
  spec: EmbeddingModelSpec;
}

/** How an image encoder wants its input tensor: declared, never guessed (functions/domain/embed's OnnxPreprocessing is this). */
export interface ModelPreprocessing {
  widthPx: number;
  heightPx: number;
  /** 'cover': resize the short side and centre-crop (CLIP); 'fill': stretch to the size. */
  resize: 'cover' | 'fill';
  layout: 'NCHW' | 'NHWC';
  channelOrder: 'RGB' | 'BGR';
  /** Per channel (in channelOrder) after scaling pixels to [0, 1]: (x − mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** The model's declaration: what the manifests and the index record, and its input tensor, exactly. */
export interface EmbeddingModelSpec {
  name: string;
  version: string;
  preprocessing: ModelPreprocessing;
  /** Default: the model's first input and first output. */
  inputName?: string;
  outputName?: string;
  /** Deploy only: the least memory of every function that embeds; pipelineConfig.embedding.onnx.memoryMb when absent. */
  memoryMb?: number;
}

/** A model setting that cannot be used, said in one sentence that names the setting and the fix. */
export class InvalidEmbeddingModelError extends Error {
  override readonly name = 'InvalidEmbeddingModelError';
}

/** The declaration used when no spec file is given. */
function defaultEmbeddingModelSpec(): EmbeddingModelSpec {
  const { name, version, preprocessing } = pipelineConfig.embedding.onnx;
  return { name, version, preprocessing: { ...preprocessing, mean: [...preprocessing.mean], std: [...preprocessing.std] } };
}

/**
 * The setting from the two options that make it (`-c embeddingModel` and `-c embeddingModelSpec`,
 * `--embedding-model` and `--embedding-spec`): none without a model; the spec file's declaration, or the
 * config's when no file is given. `requireS3` for a deploy, where the functions read the model from S3.
 */
export function embeddingModelSetting(
  given: { model?: string; specFile?: string },
  names: { model: string; specFile: string },
  requireS3: boolean,
): EmbeddingModelSetting | undefined {
  const { model, specFile } = given;
  if (model === undefined) {
    if (specFile !== undefined)
      throw new InvalidEmbeddingModelError(`${names.specFile} needs ${names.model}: the spec declares the model that option names`);
    return undefined;
  }
  if (model.trim() === '') throw new InvalidEmbeddingModelError(`${names.model} must not be empty`);
  if (requireS3 || model.startsWith('s3://')) parseS3ModelUri(model, names.model);
  return { model, spec: specFile === undefined ? defaultEmbeddingModelSpec() : readEmbeddingModelSpecFile(specFile, names.specFile) };
}

/** `s3://bucket/key` split; anything else is refused with the reason. */
export function parseS3ModelUri(uri: string, setting: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match)
    throw new InvalidEmbeddingModelError(
      `${setting} must be an s3://bucket/key URI of the .onnx file, got '${uri}'` +
        (uri.startsWith('s3://') ? '' : ' (copy the file up first: aws s3 cp model.onnx s3://my-bucket/models/model.onnx)'),
    );
  const [, bucket, key] = match as unknown as [string, string, string];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new InvalidEmbeddingModelError(
      `${setting}: '${bucket}' is not an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)`,
    );
  if (key.endsWith('/') || /[*?]/.test(key))
    throw new InvalidEmbeddingModelError(`${setting}: '${key}' must name one object (no trailing '/', no wildcards)`);
  return { bucket, key };
}

/** Reads and checks a spec file (JSON); `source` names it in errors. */
function readEmbeddingModelSpecFile(path: string, setting: string): EmbeddingModelSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidEmbeddingModelError(`${setting}: cannot read '${path}': ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidEmbeddingModelError(`${setting}: '${path}' is not JSON: ${(error as Error).message}`);
  }
  return parseEmbeddingModelSpec(value, `${setting} (${path})`);
}

const resizes = ['cover', 'fill'] as const;
const layouts = ['NCHW', 'NHWC'] as const;
const channelOrders = ['RGB', 'BGR'] as const;
const specKeys = new Set(['name', 'version', 'preprocessing', 'inputName', 'outputName', 'memoryMb']);
const preprocessingKeys = new Set(['widthPx', 'heightPx', 'resize', 'layout', 'channelOrder', 'mean', 'std']);

/**
 * Checks a declaration field by field: every field is required (nothing is
 * guessed or merged with a default), unknown fields are refused (a typo would
 * otherwise be ignored), and each error names the field and what it must be.
 */
export function parseEmbeddingModelSpec(value: unknown, source: string): EmbeddingModelSpec {
  const fail = (field: string, expected: string, actual: unknown): never => {
    throw new InvalidEmbeddingModelError(
      `${source}: ${field} must be ${expected}, got ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`,
    );
  };
  if (!isRecord(value)) return fail('the spec', 'a JSON object with name, version and preprocessing', value);
  for (const key of Object.keys(value))
    if (!specKeys.has(key)) fail(`'${key}'`, `one of ${[...specKeys].join(', ')} (unknown field)`, value[key]);
  const text = (field: string, raw: unknown): string =>
    typeof raw === 'string' && raw.trim() !== '' ? raw : fail(field, 'a non-empty string', raw);
  const name = text('name', value.name);
  const version = text('version', value.version);
  const pre = value.preprocessing;
  if (!isRecord(pre)) return fail('preprocessing', 'an object with widthPx, heightPx, resize, layout, channelOrder, mean, std', pre);
  for (const key of Object.keys(pre))
    if (!preprocessingKeys.has(key)) fail(`preprocessing.${key}`, `one of ${[...preprocessingKeys].join(', ')} (unknown field)`, pre[key]);
  const size = (field: 'widthPx' | 'heightPx'): number => {
    const raw = pre[field];
    return typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 4096
      ? raw
      : fail(`preprocessing.${field}`, 'a whole number of pixels in 1..4096', raw);
  };
  const oneOf = <T extends string>(field: string, choices: readonly T[], raw: unknown): T =>
    choices.includes(raw as T) ? (raw as T) : fail(`preprocessing.${field}`, choices.map((choice) => `'${choice}'`).join(' or '), raw);
  const triple = (field: 'mean' | 'std', ok: (v: number) => boolean, what: string): [number, number, number] => {
    const raw = pre[field];
    return Array.isArray(raw) && raw.length === 3 && raw.every((v) => typeof v === 'number' && ok(v))
      ? (raw as [number, number, number])
      : fail(`preprocessing.${field}`, `three ${what}, one per channel in channelOrder`, raw);
  };
  const preprocessing: ModelPreprocessing = {
    widthPx: size('widthPx'),
    heightPx: size('heightPx'),
    resize: oneOf('resize', resizes, pre.resize),
    layout: oneOf('layout', layouts, pre.layout),
    channelOrder: oneOf('channelOrder', channelOrders, pre.channelOrder),
    mean: triple('mean', Number.isFinite, 'finite numbers'),
    std: triple('std', (v) => Number.isFinite(v) && v > 0, 'positive numbers'),
  };
  const spec: EmbeddingModelSpec = { name, version, preprocessing };
  if (value.inputName !== undefined) spec.inputName = text('inputName', value.inputName);
  if (value.outputName !== undefined) spec.outputName = text('outputName', value.outputName);
  if (value.memoryMb !== undefined) {
    const memoryMb = value.memoryMb;
    spec.memoryMb =
      typeof memoryMb === 'number' && Number.isInteger(memoryMb) && memoryMb >= 128 && memoryMb <= 10_240
        ? memoryMb
        : fail('memoryMb', 'a whole number of MB in 128..10240 (what Lambda allows)', memoryMb);
  }
  return spec;
}

/** What a function is told: the spec without memoryMb, which only the stack uses. */
export function embeddingModelSpecJson(spec: EmbeddingModelSpec): string {
  const { memoryMb: _deployOnly, ...runtime } = spec;
  return JSON.stringify(runtime);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
