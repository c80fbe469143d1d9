/**
 * Image embedders for "more like this", in one run, same data for each:
 *   1. near-duplicates: real photos (opencv-doc and held-out Debian wallpapers),
 *      each indexed once, among ≥ 5,000 distractors (other Debian photos,
 *      wallpapers and figures, their crops, tiles and mosaics; none made from
 *      a query); 8 transformed copies of each searched by exact inner product;
 *      top-1 / top-10, overall and per transform;
 *   2. class precision@10 on Fashion-MNIST (train rows indexed, test rows queried),
 *      raw pixels as the floor;
 *   3. the descriptor's time per image after decode (p50);
 *   4. a learned peer shipped in an npm package (nsfwjs's MobileNetV2 on tfjs-wasm),
 *      on capped subsets (every candidate is measured there too).
 * Table on stderr, then one JSON line (the default embedder) on stdout.
 *
 *   npm run bench:embeddings [-- --quick --distractors 5000 --capped-distractors 500 --fm-index 10000 --fm-queries 1000 --skip learned]
 */
import { benchTransformNames, transformedCopy } from '../tests/helpers/imageTransforms.js';
import { numberArg, skippedParts } from './benchArgs.js';
import { loadCandidates } from './embeddings/candidates.js';
import type { CandidateResult, SubsetSizes } from './embeddings/candidateResult.js';
import { classPrecisionAt10 } from './embeddings/classPrecision.js';
import { makeDistractors } from './embeddings/distractors.js';
import { embedSet, medianOf } from './embeddings/embedSet.js';
import { loadFashionSubsets } from './embeddings/fashionImages.js';
import { searchNearDuplicates, type CopyOf } from './embeddings/nearDuplicateSearch.js';
import { loadPhotoSources } from './embeddings/photoSources.js';
import { measureLambdaAssets } from './embeddings/lambdaAssets.js';
import { measureOnnxColdStart } from './embeddings/onnxColdStart.js';
import { defaultEmbedderReport } from './embeddings/report.js';
import { formatTable } from './embeddings/table.js';

const quick = process.argv.includes('--quick');
const skipped = skippedParts();
const seed = 11;
const log = (line = '') => console.error(line);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const distractorCount = numberArg('distractors', quick ? 1000 : 5000);
const fm = { indexed: numberArg('fm-index', quick ? 2000 : 10_000), queries: numberArg('fm-queries', quick ? 200 : 1000) };
const cappedDistractors = Math.min(distractorCount, numberArg('capped-distractors', quick ? 200 : 500));
const cappedFm = {
  indexed: Math.min(fm.indexed, numberArg('capped-fm-index', quick ? 500 : 1000)),
  queries: Math.min(fm.queries, numberArg('capped-fm-queries', quick ? 100 : 200)),
};

// ---------------------------------------------------------------- data
const sources = await loadPhotoSources();
log(
  `# bench:embeddings  ${sources.queries.length} query originals, ${sources.distractorSources.length} distractor sources (${Object.entries(
    sources.perPackage,
  )
    .map(([pkg, n]) => `${pkg} ${n}`)
    .join(', ')}); left out as relatives of a query: ${sources.leftOut.join(', ')}  [${elapsed()}]`,
);
const distractors = await makeDistractors(sources.distractorSources, distractorCount, seed);
log(`${distractors.length} distinct distractors (JPEG q90, ≤ 512 px): sources whole, crops, 3×3 tiles, 2×2 mosaics  [${elapsed()}]`);
const copyOf: CopyOf[] = [];
const copies: { bytes: Buffer }[] = [];
for (const [original, query] of sources.queries.entries()) {
  for (const transform of benchTransformNames) {
    copies.push({ bytes: await transformedCopy(query.bytes, transform) });
    copyOf.push({ original, transform, source: query.package });
  }
}
log(`${copies.length} copies: ${benchTransformNames.join(', ')}  [${elapsed()}]`);
const indexedPhotos = [...sources.queries.map((q) => ({ bytes: q.bytes })), ...distractors.map((d) => ({ bytes: d.bytes }))];
const fashion = loadFashionSubsets(fm.indexed, fm.queries);
const floor = {
  full: classPrecisionAt10(fashion.index.rawPixels, fm.indexed, fashion.queries.rawPixels, fm.queries),
  capped: classPrecisionAt10(fashion.index.rawPixels, cappedFm.indexed, fashion.queries.rawPixels, cappedFm.queries),
};
log(
  `Fashion-MNIST raw pixels (784-d, L2-normalised): P@10 ${floor.full.toFixed(4)} full, ${floor.capped.toFixed(4)} capped  [${elapsed()}]`,
);

// ---------------------------------------------------------------- candidates
const candidates = (await loadCandidates(log)).filter((c) => !(skipped.has('learned') && c.capped));
const results: CandidateResult[] = [];
for (const candidate of candidates) {
  const photoCount = sources.queries.length + (candidate.capped ? cappedDistractors : distractorCount);
  const indexed = await embedSet(candidate, indexedPhotos.slice(0, photoCount));
  const searched = await embedSet(candidate, copies);
  const nearCapped = searchNearDuplicates(indexed, sources.queries.length, cappedDistractors, searched, copyOf);
  const nearFull = candidate.capped ? null : searchNearDuplicates(indexed, sources.queries.length, distractorCount, searched, copyOf);
  log(`${candidate.name}: photos embedded (${photoCount} + ${copies.length} copies)  [${elapsed()}]`);
  const fmIndexed = candidate.capped ? cappedFm.indexed : fm.indexed;
  const fmQueries = candidate.capped ? cappedFm.queries : fm.queries;
  const fmIndex = { ...(await embedSet(candidate, fashion.index.images.slice(0, fmIndexed))), labels: fashion.index.labels };
  const fmQuery = { ...(await embedSet(candidate, fashion.queries.images.slice(0, fmQueries))), labels: fashion.queries.labels };
  results.push({
    name: candidate.name,
    isDefault: candidate.isDefault,
    capped: candidate.capped,
    nearDuplicates: { full: nearFull, capped: nearCapped },
    classPrecisionAt10: {
      full: candidate.capped ? null : classPrecisionAt10(fmIndex, fm.indexed, fmQuery, fm.queries),
      capped: classPrecisionAt10(fmIndex, cappedFm.indexed, fmQuery, cappedFm.queries),
    },
    embedMsP50: medianOf(indexed.describeMs),
  });
  log(`${candidate.name}: Fashion-MNIST embedded (${fmIndexed} + ${fmQueries})  [${elapsed()}]`);
}

// ---------------------------------------------------------------- report
const sizes: SubsetSizes = {
  originals: sources.queries.length,
  copies: copies.length,
  distractors: distractorCount,
  cappedDistractors,
  fashionIndexed: fm.indexed,
  fashionQueries: fm.queries,
  cappedFashionIndexed: cappedFm.indexed,
  cappedFashionQueries: cappedFm.queries,
};
log(formatTable(results, sizes, floor));

// ---------------------------------------------------------------- a model of your own in Lambda
const assets = await measureLambdaAssets();
log(`Lambda assets with an ONNX model configured (code + layers, unzipped, of 250 MiB):`);
for (const [fn, mb] of Object.entries(assets.perFunctionMb)) log(`  ${fn}: ${mb.toFixed(1)} MiB`);
for (const [layer, mb] of Object.entries(assets.layerMb)) log(`  layer ${layer}: ${mb.toFixed(1)} MiB`);
const cold = await measureOnnxColdStart();
log(
  `ONNX cold start (${cold.model}, ${cold.modelMb.toFixed(1)} MiB): import ${cold.importMs.toFixed(0)} ms, session ${cold.createSessionMs.toFixed(0)} ms, first embedding ${cold.firstEmbedMs.toFixed(0)} ms (warm ${cold.warmEmbedMs.toFixed(0)} ms), peak RSS ${cold.peakRssMb.toFixed(0)} MiB  [${elapsed()}]`,
);
log(`done in ${elapsed()}`);
const defaultResult = results.find((r) => r.isDefault)!;
console.log(JSON.stringify(defaultEmbedderReport(defaultResult, floor.full, assets.largestMb)));
