import { pipelineConfig } from '../../functions/config/index.js';
import { normalizeInPlace } from '../../functions/domain/vq/index.js';
import {
  computeDefaultEmbedding,
  currentDefaultEmbeddingDesign,
  defaultEmbeddingDesigns,
  type decodeForEmbedding,
} from '../../functions/domain/embed/index.js';
import { loadLearnedPeer } from './learnedPeer.js';

/** 3-channel sRGB pixels at the candidate's inputPx, and the source's aspect ratio. */
export type DecodedForEmbedding = Awaited<ReturnType<typeof decodeForEmbedding>>;

/** One embedder under test. The harness decodes (untimed), then times describe alone. */
export interface Candidate {
  name: string;
  /** The pipeline's default embedder: the one the JSON line reports. */
  isDefault: boolean;
  /** Slow candidates run on the capped subsets only (every candidate is also measured there, for comparison). */
  capped: boolean;
  /** The square size and fit decodeForEmbedding is asked for. */
  inputPx: number;
  fit: 'fill' | 'cover';
  /** An L2-normalised descriptor of decoded pixels (the timed part). */
  describe(decoded: DecodedForEmbedding): Float32Array | Promise<Float32Array>;
}

/** 16×16 RGB, each channel 0–1, L2-normalised: the floor every embedder must clear. */
function rawPixels(decoded: DecodedForEmbedding): Float32Array {
  const { data } = decoded.pixels;
  const out = Float32Array.from(data, (v) => v / 255);
  normalizeInPlace(out, 0, out.length);
  return out;
}

/**
 * The embedders bench:embeddings compares, in one list: adding one (e.g. an
 * earlier version of the default) is one entry. The learned peer is left
 * out, with the reason, when its packages cannot be loaded.
 */
export async function loadCandidates(log: (line: string) => void): Promise<Candidate[]> {
  const candidates: Candidate[] = [
    {
      name: `default v${currentDefaultEmbeddingDesign}`,
      isDefault: true,
      capped: false,
      inputPx: pipelineConfig.embedding.default.sizePx,
      fit: 'fill',
      describe: (decoded) => computeDefaultEmbedding(decoded.pixels, decoded.sourceAspect),
    },
    {
      name: 'default v1 (previous)',
      isDefault: false,
      capped: false,
      inputPx: pipelineConfig.embedding.default.sizePx,
      fit: 'fill',
      describe: (decoded) => computeDefaultEmbedding(decoded.pixels, decoded.sourceAspect, defaultEmbeddingDesigns['1']),
    },
    // The floor at the sizes its users would try: which wins depends on the transform.
    ...[8, 16, 32].map((inputPx) => ({
      name: `raw-pixels-${inputPx}`,
      isDefault: false,
      capped: false,
      inputPx,
      fit: 'fill' as const,
      describe: rawPixels,
    })),
  ];
  const peer = await loadLearnedPeer();
  if ('skipped' in peer) log(`learned peer skipped: ${peer.skipped}`);
  else candidates.push(peer);
  return candidates;
}
