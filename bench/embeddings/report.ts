import type { CandidateResult } from './candidateResult.js';
import type { NearDuplicateFigures } from './nearDuplicateSearch.js';

const round = (value: number | null, digits = 4) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/**
 * The one JSON line of bench:embeddings: the default embedder's figures.
 * The Lambda asset size (the largest function's code plus layers with an
 * ONNX model configured) comes from lambdaAssets.ts.
 */
export function defaultEmbedderReport(
  result: CandidateResult,
  rawPixelsClassPrecisionAt10: number,
  lambdaAssetMbWithModelRuntime: number,
): Record<string, number | null> {
  const near = result.nearDuplicates.full ?? result.nearDuplicates.capped;
  const top1Of = (transform: string) => round(near.perTransform[transform]?.top1 ?? null);
  return {
    distractors: near.distractors,
    near_dup_top1: round(near.top1),
    // The default's weights were chosen on opencv-doc's images: its other queries are the ones it never saw.
    near_dup_top1_held_out: round(heldOutTop1(near)),
    near_dup_top10: round(near.top10),
    near_dup_top1_flip: top1Of('flip-horizontal'),
    near_dup_top1_rot5: top1Of('rotate-5deg'),
    near_dup_top1_crop80: top1Of('crop-80%'),
    class_precision_at_10: round(result.classPrecisionAt10.full ?? result.classPrecisionAt10.capped),
    raw_pixels_class_precision_at_10: round(rawPixelsClassPrecisionAt10),
    embed_ms_p50: round(result.embedMsP50, 3),
    lambda_asset_mb_with_model_runtime: round(lambdaAssetMbWithModelRuntime, 1),
  };
}

/** Top-1 over the copies of queries from packages other than opencv-doc. */
function heldOutTop1(near: NearDuplicateFigures): number | null {
  let copies = 0;
  let found = 0;
  for (const [source, figures] of Object.entries(near.top1BySource)) {
    if (source === 'opencv-doc') continue;
    copies += figures.copies;
    found += figures.top1 * figures.copies;
  }
  return copies === 0 ? null : found / copies;
}
