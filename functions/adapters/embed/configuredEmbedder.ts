import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { parseS3ModelUri, type EmbeddingModelSetting } from '../../config/index.js';
import { createDefaultEmbedder, embedderKey, type Embedder } from '../../domain/embed/index.js';
import { S3ObjectStore } from '../store/index.js';
import { EmbeddingModelLoadError } from './errors.js';

/** Makes the environment's embedder on first call and hands the same one to every later call. */
export type EmbedderLoader = () => Promise<Embedder>;

/**
 * The one way every stage and the search API get their embedder, so that all
 * of them embed with the same model: the weight-free default, or the model
 * the setting names (functions/config/embeddingModel.ts), read once from S3
 * (`s3://bucket/key`) or a file (the local mode) and kept for the life of the
 * environment. onnxruntime-node is loaded only then. A failed load (S3 down,
 * a model that does not parse) is tried again by the next call.
 */
export function configuredEmbedder(setting: EmbeddingModelSetting | undefined, s3: S3Client): EmbedderLoader {
  if (!setting) {
    const embedder = createDefaultEmbedder();
    return () => Promise.resolve(embedder);
  }
  let loading: Promise<Embedder> | undefined;
  return () => {
    loading ??= loadOnnxEmbedder(setting, s3).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

async function loadOnnxEmbedder(setting: EmbeddingModelSetting, s3: S3Client): Promise<Embedder> {
  const bytes = await readModel(setting.model, s3);
  const { createOnnxEmbedder } = await import('../../domain/embed/onnx.js');
  const { name, version, preprocessing, inputName, outputName } = setting.spec;
  try {
    return await createOnnxEmbedder({
      name,
      version,
      model: bytes,
      preprocessing,
      ...(inputName ? { inputName } : {}),
      ...(outputName ? { outputName } : {}),
    });
  } catch (error) {
    throw new EmbeddingModelLoadError(setting.model, (error as Error).message);
  }
}

async function readModel(model: string, s3: S3Client): Promise<Uint8Array> {
  if (model.startsWith('s3://')) {
    const { bucket, key } = parseS3ModelUri(model, 'the embedding model');
    let bytes: Uint8Array | undefined;
    try {
      bytes = await new S3ObjectStore(s3, bucket).getBytes(key);
    } catch (error) {
      const { name, message } = error as Error;
      throw new EmbeddingModelLoadError(model, `cannot be read (${name}: ${message}); the function's role may read exactly this object`);
    }
    if (!bytes) throw new EmbeddingModelLoadError(model, 'no such object');
    return bytes;
  }
  try {
    return await readFile(model);
  } catch (error) {
    throw new EmbeddingModelLoadError(model, `cannot read the file: ${(error as Error).message}`);
  }
}

/** The key of the embedder a setting names (embedderKey), without loading its model: what reconciliation needs to find its index and vectors. */
export function configuredEmbedderKey(setting: EmbeddingModelSetting | undefined): string {
  return embedderKey(setting ? setting.spec : createDefaultEmbedder());
}
