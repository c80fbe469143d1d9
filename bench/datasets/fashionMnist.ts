import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { normalizeInPlace } from '../../functions/domain/vq/index.js';

/**
 * Fashion-MNIST, the data behind ann-benchmarks' fashion-mnist-784, from
 * Debian's dataset-fashion-mnist package: fetched into bench/.media
 * (git-ignored) on first use, never committed.
 */
const mediaDir = resolve('bench/.media');
const packageDir = join(mediaDir, 'dataset-fashion-mnist');
const datasetDir = join(packageDir, 'usr/share/datasets/fashion-mnist');

const fashionMnistDimension = 784;

interface VectorSplit {
  count: number;
  /** count × 784, row-major; each row L2-normalised (inner product = cosine), unless asked otherwise. */
  vectors: Float32Array;
  /** Class 0–9 of each row. */
  labels: Uint8Array;
}

export interface FashionMnist {
  dimension: number;
  /** The 60,000 rows that are indexed. */
  train: VectorSplit;
  /** The 10,000 rows queries come from. */
  test: VectorSplit;
}

function fetchDataset(): void {
  if (existsSync(datasetDir)) return;
  mkdirSync(mediaDir, { recursive: true });
  console.error('fetching Fashion-MNIST: apt-get download dataset-fashion-mnist (once)');
  execFileSync('apt-get', ['download', 'dataset-fashion-mnist'], { cwd: mediaDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(mediaDir).find((name) => name.startsWith('dataset-fashion-mnist_') && name.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download dataset-fashion-mnist produced no .deb');
  execFileSync('dpkg', ['-x', join(mediaDir, deb), packageDir]);
}

/** An idx file (big-endian header: magic 0x0000 08 <dims>, then each dimension's size), gunzipped. */
function readIdx(name: string, expectedDims: number): { sizes: number[]; data: Uint8Array } {
  const bytes = gunzipSync(readFileSync(join(datasetDir, name)));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic >>> 8 !== 0x08 || (magic & 0xff) !== expectedDims)
    throw new Error(`${name}: not an unsigned-byte idx file with ${expectedDims} dimension(s)`);
  const sizes = Array.from({ length: expectedDims }, (_, i) => view.getUint32(4 + 4 * i));
  const headerBytes = 4 + 4 * expectedDims;
  const data = bytes.subarray(headerBytes);
  if (data.length !== sizes.reduce((a, b) => a * b, 1))
    throw new Error(`${name}: ${data.length} bytes of data for sizes ${sizes.join('×')}`);
  return { sizes, data };
}

function readSplit(prefix: 'train' | 't10k', normalise: boolean): VectorSplit {
  const images = readIdx(`${prefix}-images-idx3-ubyte.gz`, 3);
  const labels = readIdx(`${prefix}-labels-idx1-ubyte.gz`, 1);
  const [count, rows, cols] = images.sizes as [number, number, number];
  if (rows * cols !== fashionMnistDimension || labels.sizes[0] !== count)
    throw new Error(`${prefix}: unexpected shape ${images.sizes.join('×')}`);
  const vectors = Float32Array.from(images.data);
  if (normalise) for (let i = 0; i < count; i += 1) normalizeInPlace(vectors, i * fashionMnistDimension, fashionMnistDimension);
  return { count, vectors, labels: Uint8Array.from(labels.data) };
}

/** Both splits, pixel values as floats, rows L2-normalised by default (for inner-product search). */
export function loadFashionMnist(options: { normalise?: boolean } = {}): FashionMnist {
  fetchDataset();
  const normalise = options.normalise ?? true;
  return { dimension: fashionMnistDimension, train: readSplit('train', normalise), test: readSplit('t10k', normalise) };
}
