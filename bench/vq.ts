/**
 * The streaming VQ index against its peers on Fashion-MNIST (the data of
 * ann-benchmarks' fashion-mnist-784), in one run, single-threaded, same vectors:
 *   1. exact brute force (ground truth), this index (nprobe × rerank × cluster size swept),
 *      a static k-means IVF trained on all rows (same K, same list scan), hnswlib-node
 *      (M ∈ {8, 16, 32}, ef swept) and usearch (connectivity and search expansion swept);
 *      every setting measured on a tuning half of the test rows, the settings on that
 *      frontier measured again on the scoring half, QPS read off each scored frontier at
 *      recall 0.90, 0.95 and 0.99;
 *   2. drift runbooks: Fashion-MNIST class by class and a synthetic set cluster by cluster,
 *      against a k-means IVF rebuilt at every checkpoint and one frozen after the first;
 *   3. real photos (Debian opencv-doc) with transformed copies, default embedder;
 *   4. upload-to-visible latency through the whole local pipeline.
 * Ends with one JSON line (issue 13).
 *
 *   npm run bench:vq [-- --queries 1000 --reps 5 --n 60000 --skip usearch,drift,photos,pipeline]
 */
import {
  defaultIndexConfig,
  defaultSearchParams,
  scanBytesPerVector,
  StreamingVqIndex,
  type VqIndexConfig,
} from '../functions/domain/vq/index.js';
import { loadFashionMnist } from './datasets/fashionMnist.js';
import { exactTopK, recallAtK } from './vq/bruteForce.js';
import { runDriftRunbook } from './vq/driftRunbook.js';
import { ratio, spreadOf } from './vq/frontier.js';
import { envelope, sweepSystem, targetRecalls, type QuerySet, type Setting, type SystemResult } from './vq/frontierSweep.js';
import { buildHnswlib, type BuiltPeer } from './vq/hnswlibPeer.js';
import { measureNearDuplicates, loadImageCollection, transformedCopy } from './vq/nearDuplicates.js';
import { StaticIvf } from './vq/staticIvf.js';
import { clusteredSet } from './vq/syntheticData.js';
import { buildUsearch } from './vq/usearchPeer.js';
import { measureVisibleAfterUpload } from './vq/visibleAfterUpload.js';
import { numberArg, skippedParts } from './benchArgs.js';

const arg = numberArg;
const skipped = skippedParts();
const queriesPerHalf = arg('queries', 1000);
const scoringRepetitions = arg('reps', 5);
const tuningRepetitions = 2;
const K10 = 10;
const seed = 7;
/** The indexer applies batches of this many messages, one update() each. */
const updateEvery = 10;
const log = (line = '') => console.log(line);
const round = (value: number | null, digits = 3) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);
const started = performance.now();

// ---------------------------------------------------------------- data
const fm = loadFashionMnist();
const D = fm.dimension;
const N = Math.min(arg('n', fm.train.count), fm.train.count);
const rows = fm.train.vectors.subarray(0, N * D);
log(
  `# bench:vq  Fashion-MNIST: ${N} train rows indexed, ${D} dims, L2-normalised (inner product = cosine); single-threaded; every ratio from this run`,
);
// Test rows 0–4999 tune, 5000–9999 score: nothing is chosen on a scored query.
const halfStart = { tuning: 0, scoring: fm.test.count / 2 };
const queryRows = (half: keyof typeof halfStart) =>
  Array.from({ length: queriesPerHalf }, (_, q) => fm.test.vectors.slice((halfStart[half] + q) * D, (halfStart[half] + q + 1) * D));
const tuningQueries = queryRows('tuning');
const scoringQueries = queryRows('scoring');
const allQueries = [...tuningQueries, ...scoringQueries];
let t = performance.now();
const scratch = new Float32Array(N);
const truthOf = (queries: Float32Array[]) => queries.map((q) => exactTopK(rows, N, D, q, K10, scratch));
const tuning: QuerySet = { queries: tuningQueries.map((_, q) => q), truth: truthOf(tuningQueries) };
const scoring: QuerySet = { queries: scoringQueries.map((_, q) => queriesPerHalf + q), truth: truthOf(scoringQueries) };
const bruteQps = (2 * queriesPerHalf) / ((performance.now() - t) / 1000);
log(
  `exact brute force: ${bruteQps.toFixed(1)} QPS; ground truth for ${queriesPerHalf} tuning and ${queriesPerHalf} scoring queries (test rows ${halfStart.tuning}… and ${halfStart.scoring}…)`,
);
const sweepOptions = { k: K10, tuningRepetitions, scoringRepetitions, log };
log(
  `each setting: recall@10 and the median QPS of ${tuningRepetitions} passes over the tuning queries; tuning-frontier settings: ${scoringRepetitions} passes over the scoring queries (range in brackets)`,
);

// ---------------------------------------------------------------- 1. this index
interface BuiltIndex {
  index: StreamingVqIndex;
  insertPerS: number;
  bytesPerVector: number;
}
function buildStreaming(config: Partial<VqIndexConfig>): BuiltIndex {
  const index = StreamingVqIndex.create({ dimension: D, seed, ...config });
  const ids = Array.from({ length: N }, (_, i) => String(i));
  const start = performance.now();
  for (let i = 0; i < N; i += 1) {
    index.insert(ids[i]!, rows.subarray(i * D, (i + 1) * D));
    if ((i + 1) % updateEvery === 0) index.update();
  }
  index.update();
  const insertPerS = N / ((performance.now() - start) / 1000);
  return { index, insertPerS, bytesPerVector: index.memoryBytes() / N };
}

log('\n## 1. recall@10 vs QPS: settings on the tuning half, frontiers on the scoring half');
const nprobes = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64];
const reranks = [10, 20, 40, 80];
const clusterSizes = [64, defaultIndexConfig.targetClusterSize, 256];
const streamingSettings: Setting[] = [];
let main: BuiltIndex | undefined;
for (const targetClusterSize of clusterSizes) {
  t = performance.now();
  const built = buildStreaming({ targetClusterSize });
  const stats = built.index.stats();
  log(
    `streaming VQ targetClusterSize=${targetClusterSize}: ${built.insertPerS.toFixed(0)} inserts/s (one at a time, update() every ${updateEvery}), K=${stats.clusters},` +
      ` imbalance ${stats.imbalanceFactor.toFixed(3)}, max/mean ${stats.maxClusterOverMean.toFixed(2)}, ${built.bytesPerVector.toFixed(0)} bytes/vector, ${seconds(t)} s`,
  );
  if (targetClusterSize === defaultIndexConfig.targetClusterSize) main = built;
  const K = stats.clusters - stats.emptyClusters;
  for (const nprobe of nprobes.filter((n) => n <= K)) {
    for (const rerank of reranks) {
      streamingSettings.push({
        label: `target=${targetClusterSize} nprobe=${nprobe} rerank=${rerank}`,
        search: (q) => built.index.search(allQueries[q]!, { k: K10, nprobe, rerank }).map((hit) => Number(hit.id)),
        details: { probeFraction: nprobe / K },
      });
    }
  }
}
const mainIndex = main!.index;
const mainStats = mainIndex.stats();
const mainK = mainStats.clusters - mainStats.emptyClusters;

// The operating point, chosen on the tuning half: the fewest lists (default rerank) reaching recall 0.95, within 5% of clusters.
const recallOf = (set: QuerySet, nprobe: number, rerank: number) =>
  recallAtK(
    set.truth,
    set.queries.map((q) => mainIndex.search(allQueries[q]!, { k: K10, nprobe, rerank }).map((hit) => Number(hit.id))),
    K10,
  );
const operatingNprobe =
  nprobes.find((nprobe) => nprobe / mainK <= 0.05 && recallOf(tuning, nprobe, defaultSearchParams.rerank) >= 0.95) ??
  Math.max(1, Math.floor(0.05 * mainK));
const operatingRecall = recallOf(scoring, operatingNprobe, defaultSearchParams.rerank);
const exactScanRecall = recallOf(scoring, operatingNprobe, 0);
const probeFraction = operatingNprobe / mainK;
log(
  `operating point (chosen on the tuning half): nprobe=${operatingNprobe} of K=${mainK} (${(100 * probeFraction).toFixed(2)}% of clusters), rerank=${defaultSearchParams.rerank}:` +
    ` recall@10 on the scoring half ${operatingRecall.toFixed(4)}; float32 scan of the same lists ${exactScanRecall.toFixed(4)} (re-rank loss ${(100 * (exactScanRecall - operatingRecall)).toFixed(2)} points)`,
);
log(`scan: ${scanBytesPerVector(D)} bytes per vector (uint8 codes padded to 16, plus low and step) vs ${4 * D} for float32`);

const systems: SystemResult[] = [];
t = performance.now();
const ours = sweepSystem('streaming-vq', streamingSettings, tuning, scoring, sweepOptions);
systems.push(ours);
log(`  (${seconds(t)} s)`);

t = performance.now();
const staticIvf = StaticIvf.train(rows, N, D, mainK, seed);
for (let i = 0; i < N; i += 1) staticIvf.add(i, rows, i);
log(
  `static k-means IVF (K=${mainK}, trained on all rows, faiss-style sampling): built in ${seconds(t)} s, imbalance ${staticIvf.imbalance().toFixed(3)}`,
);
const staticSettings: Setting[] = nprobes.flatMap((nprobe) =>
  reranks.map((rerank) => ({
    label: `nprobe=${nprobe} rerank=${rerank}`,
    search: (q: number) => staticIvf.search(allQueries[q]!, nprobe, rerank),
  })),
);
systems.push(sweepSystem('static-ivf', staticSettings, tuning, scoring, sweepOptions));

const hnswRuns: { peer: BuiltPeer; result: SystemResult }[] = [];
const efs = [10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 128, 160, 200, 256, 320, 400, 512, 640, 800];
for (const m of [8, 16, 32]) {
  t = performance.now();
  const peer = await buildHnswlib(rows, N, D, allQueries, { m, efConstruction: 200, efs, seed });
  log(
    `${peer.name} efConstruction=200: ${peer.insertPerS.toFixed(0)} inserts/s, ${peer.bytesPerVector.toFixed(0)} bytes/vector, built in ${seconds(t)} s`,
  );
  hnswRuns.push({ peer, result: sweepSystem(peer.name, peer.settings, tuning, scoring, sweepOptions) });
}
const bestHnsw = envelope(
  'hnswlib (best M)',
  hnswRuns.map((run) => run.result),
);
systems.push(...hnswRuns.map((run) => run.result), bestHnsw);

const usearchRuns: { peer: BuiltPeer; result: SystemResult }[] = [];
if (!skipped.has('usearch')) {
  const expansions = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
  for (const connectivity of [8, 16, 32]) {
    t = performance.now();
    const peer = await buildUsearch(rows, N, D, allQueries, { connectivity, expansionAdd: 128, expansionsSearch: expansions });
    log(`${peer.name}: ${peer.insertPerS.toFixed(0)} inserts/s, ${peer.bytesPerVector.toFixed(0)} bytes/vector, built in ${seconds(t)} s`);
    usearchRuns.push({ peer, result: sweepSystem(peer.name, peer.settings, tuning, scoring, sweepOptions) });
  }
}
const bestUsearch =
  usearchRuns.length > 0
    ? envelope(
        'usearch (best M)',
        usearchRuns.map((run) => run.result),
      )
    : undefined;
if (bestUsearch) systems.push(...usearchRuns.map((run) => run.result), bestUsearch);

log('\n### frontiers on the scoring half (recall@10, QPS median and range)');
for (const system of systems) {
  log(`${system.name}:`);
  for (const point of system.frontier)
    log(
      `  ${point.recall.toFixed(4)}  ${point.qps.toFixed(0).padStart(6)} (${point.qpsSpread.min.toFixed(0)}–${point.qpsSpread.max.toFixed(0)})  ${point.label}`,
    );
}
log('\n### QPS at the same recall (log-QPS interpolated on each scored frontier; — where a frontier never gets there)');
log(`${'system'.padEnd(40)}${targetRecalls.map((r) => `@${r}`.padStart(10)).join('')}`);
for (const system of systems)
  log(
    `${system.name.padEnd(40)}${targetRecalls.map((r) => String(round(system.qpsAt[String(r) as '0.9'], 0) ?? '—').padStart(10)).join('')}`,
  );
for (const recall of targetRecalls) {
  const key = String(recall) as '0.9';
  log(
    `at recall ${recall}: streaming VQ / best hnswlib ${String(round(ratio(ours.qpsAt[key], bestHnsw.qpsAt[key]), 2))}×` +
      (bestUsearch ? `, / best usearch ${String(round(ratio(ours.qpsAt[key], bestUsearch.qpsAt[key]), 2))}×` : ''),
  );
}
const hnsw16 = hnswRuns.find((run) => run.peer.name === 'hnswlib M=16')!.peer;
const fastestHnswBuild = Math.max(...hnswRuns.map((run) => run.peer.insertPerS));
log(
  `inserts/s: streaming VQ ${main!.insertPerS.toFixed(0)}; hnswlib ${hnswRuns.map((run) => `${run.peer.name.split(' ')[1]} ${run.peer.insertPerS.toFixed(0)}`).join(', ')}` +
    (usearchRuns.length
      ? `; usearch ${usearchRuns.map((run) => `${run.peer.name.split(' ')[1]} ${run.peer.insertPerS.toFixed(0)}`).join(', ')}`
      : '') +
    ` → ${(main!.insertPerS / hnsw16.insertPerS).toFixed(1)}× hnswlib M=16, ${(main!.insertPerS / fastestHnswBuild).toFixed(1)}× its fastest build`,
);
log(
  `bytes/vector: streaming VQ ${main!.bytesPerVector.toFixed(0)} (float32 vectors, codes and their SIMD copy, ids); static IVF ${(staticIvf.memoryBytes() / N).toFixed(0)};` +
    ` hnswlib ${hnswRuns.map((run) => `${run.peer.name.split(' ')[1]} ${run.peer.bytesPerVector.toFixed(0)}`).join(', ')}` +
    (usearchRuns.length
      ? `; usearch ${usearchRuns.map((run) => `${run.peer.name.split(' ')[1]} ${run.peer.bytesPerVector.toFixed(0)}`).join(', ')}`
      : ''),
);

// ---------------------------------------------------------------- 2. drift
const drift = skipped.has('drift')
  ? undefined
  : (() => {
      const driftOptions = { checkpoints: 10, probeFraction, queriesPerCheckpoint: 500, updateEvery, config: {}, seed, log };
      const fashion = runDriftRunbook(
        {
          name: 'Fashion-MNIST class by class',
          dimension: D,
          rows,
          labels: fm.train.labels,
          count: N,
          queries: fm.test.vectors.subarray(halfStart.scoring * D),
          queryLabels: fm.test.labels.subarray(halfStart.scoring),
          queryCount: fm.test.count - halfStart.scoring,
        },
        { ...driftOptions, frozenClusters: mainK },
      );
      const syntheticCount = 100_000;
      const syntheticQueries = 5_000;
      const synthetic = clusteredSet({ count: syntheticCount + syntheticQueries, dimension: 256, clusters: 1000, seed });
      const syntheticRun = runDriftRunbook(
        {
          name: 'synthetic (100k × 256, 1000 Zipf-sized clusters) cluster by cluster',
          dimension: 256,
          rows: synthetic.vectors.subarray(0, syntheticCount * 256),
          labels: synthetic.labels,
          count: syntheticCount,
          queries: synthetic.vectors.subarray(syntheticCount * 256),
          queryLabels: synthetic.labels.subarray(syntheticCount),
          queryCount: syntheticQueries,
        },
        { ...driftOptions, frozenClusters: Math.round((mainK * syntheticCount) / N) },
      );
      return { fashion, synthetic: syntheticRun };
    })();

// ---------------------------------------------------------------- 3. real photos
const photos = skipped.has('photos') ? undefined : await measureNearDuplicates(seed);
if (photos) {
  log('\n## 3. real photos (opencv-doc) with transformed copies, default embedder');
  log(
    `${photos.images} images indexed; ${photos.copies} transformed copies of the JPEGs: top-1 ${photos.top1.toFixed(4)}, top-10 ${photos.top10.toFixed(4)};` +
      ` top-1 misses by transform ${JSON.stringify(photos.misses)}; default embedder after decode p50 ${photos.describeMsP50.toFixed(2)} ms`,
  );
}

// ---------------------------------------------------------------- 4. upload to visible
let visibleP50: number | null = null;
if (!skipped.has('pipeline')) {
  log('\n## 4. item manifest lands → returned by the search API, through the whole local pipeline');
  const images = loadImageCollection();
  const probes = await Promise.all(
    images
      .filter((image) => /\.jpe?g$/i.test(image.name))
      .slice(0, 10)
      .map((image) => transformedCopy(image.bytes, 'crop-80%')),
  );
  const visibleMs = await measureVisibleAfterUpload(
    images.map((image) => image.bytes),
    probes,
    log,
  );
  visibleP50 = spreadOf(visibleMs).median;
  log(
    `manifest 'ready' → top hit of POST /api/search: p50 ${visibleP50.toFixed(1)} ms, max ${Math.max(...visibleMs).toFixed(1)} ms over ${visibleMs.length} uploads`,
  );
}

// ---------------------------------------------------------------- summary
log(`\nbench:vq took ${seconds(started)} s`);
const imbalanceMax = Math.max(mainStats.imbalanceFactor, drift?.fashion.imbalanceMax ?? 0, drift?.synthetic.imbalanceMax ?? 0);
const maxOverMeanMax = Math.max(
  mainStats.maxClusterOverMean,
  drift?.fashion.maxClusterOverMeanMax ?? 0,
  drift?.synthetic.maxClusterOverMeanMax ?? 0,
);
console.log(
  JSON.stringify({
    dataset: 'fashion-mnist',
    n: N,
    dim: D,
    normalised: 'L2 (inner product = cosine)',
    recall_at_10: round(operatingRecall, 4),
    probe_fraction: round(probeFraction, 4),
    rerank_recall_loss_points: round(100 * (exactScanRecall - operatingRecall), 2),
    qps_at_090: round(ours.qpsAt['0.9'], 0),
    qps_at_095: round(ours.qpsAt['0.95'], 0),
    hnsw_qps_at_095: round(bestHnsw.qpsAt['0.95'], 0),
    usearch_qps_at_095: round(bestUsearch?.qpsAt['0.95'] ?? null, 0),
    static_ivf_qps_at_095: round(systems[1]!.qpsAt['0.95'], 0),
    qps_at_099: round(ours.qpsAt['0.99'], 0),
    hnsw_qps_at_099: round(bestHnsw.qpsAt['0.99'], 0),
    usearch_qps_at_099: round(bestUsearch?.qpsAt['0.99'] ?? null, 0),
    insert_per_s: round(main!.insertPerS, 0),
    hnsw_insert_per_s: round(hnsw16.insertPerS, 0),
    hnsw_fastest_insert_per_s: round(fastestHnswBuild, 0),
    scan_bytes_per_vector: scanBytesPerVector(D),
    bytes_per_vector: round(main!.bytesPerVector, 0),
    hnsw_bytes_per_vector: round(hnsw16.bytesPerVector, 0),
    imbalance_factor_max: round(imbalanceMax, 3),
    max_cluster_over_mean_max: round(maxOverMeanMax, 3),
    drift_recall_gap_vs_rebuilt_max: round(drift?.fashion.gapSameNprobeMax ?? null, 2),
    drift_recall_gap_synthetic_max: round(drift?.synthetic.gapSameNprobeMax ?? null, 2),
    drift_recall_gap_equal_work_max: round(drift?.fashion.gapEqualWorkMax ?? null, 2),
    drift_recall_gap_equal_work_synthetic_max: round(drift?.synthetic.gapEqualWorkMax ?? null, 2),
    static_ivf_drift_drop: round(drift?.fashion.frozenDropMax ?? null, 2),
    static_ivf_drift_drop_synthetic: round(drift?.synthetic.frozenDropMax ?? null, 2),
    repair_vectors_per_insert: round(
      drift ? Math.max(drift.fashion.repairVectorsPerInsert, drift.synthetic.repairVectorsPerInsert) : null,
      2,
    ),
    near_dup_top1: round(photos?.top1 ?? null, 4),
    near_dup_top10: round(photos?.top10 ?? null, 4),
    insert_to_visible_ms_p50: round(visibleP50, 1),
  }),
);
