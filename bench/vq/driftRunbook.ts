import { defaultSearchParams, StreamingVqIndex, type VqIndexConfig } from '../../functions/domain/vq/index.js';
import { exactTopK, recallAtK } from './bruteForce.js';
import { StaticIvf } from './staticIvf.js';

export interface DriftData {
  name: string;
  dimension: number;
  /** Rows to insert, row-major, unit length. */
  rows: Float32Array;
  /** Arrival order is by label: class by class, cluster by cluster. */
  labels: ArrayLike<number>;
  count: number;
  /** Held-out rows and their labels; a checkpoint asks only about labels that have arrived. */
  queries: Float32Array;
  queryLabels: ArrayLike<number>;
  queryCount: number;
}

export interface DriftOptions {
  checkpoints: number;
  /** The operating point's share of clusters probed (chosen on the tuning half of the static run). */
  probeFraction: number;
  /** Queries per checkpoint (at most). */
  queriesPerCheckpoint: number;
  /** update() after this many inserts, as the indexer does once per batch. */
  updateEvery: number;
  /** Clusters of the frozen IVF, trained once on the first checkpoint's rows and sized for the whole set; read at the rebuilt IVF's vectors scanned. */
  frozenClusters: number;
  config: Partial<VqIndexConfig>;
  seed: number;
  log: (line: string) => void;
}

interface CheckpointFigures {
  n: number;
  clusters: number;
  nprobe: number;
  recall: number;
  rebuiltRecall: number;
  frozenRecall: number;
  /** Mean vectors scanned per query at this nprobe. */
  scanned: number;
  rebuiltScanned: number;
  /** Our recall interpolated at the rebuilt IVF's mean scanned vectors (equal work). */
  recallAtRebuiltWork: number;
  imbalance: number;
  maxClusterOverMean: number;
}

export interface DriftResult {
  name: string;
  checkpoints: CheckpointFigures[];
  /** max over checkpoints of 100 × (rebuilt − ours), same nprobe. */
  gapSameNprobeMax: number;
  /** max over checkpoints of 100 × (rebuilt − ours at the rebuilt's scanned vectors). */
  gapEqualWorkMax: number;
  /** max over checkpoints of 100 × (rebuilt − frozen). */
  frozenDropMax: number;
  imbalanceMax: number;
  maxClusterOverMeanMax: number;
  repairVectorsPerInsert: number;
  insertPerS: number;
}

/**
 * A drift runbook: rows arrive sorted by label, and at each of the
 * checkpoints the streaming index is compared with a k-means IVF rebuilt from
 * scratch on everything present (same K, same list scan), at the same probed
 * fraction of clusters and at the same vectors scanned, and with a frozen IVF
 * trained on the first checkpoint only (at the rebuilt IVF's vectors scanned).
 * Recall is against exact search over what has arrived.
 */
export function runDriftRunbook(data: DriftData, options: DriftOptions): DriftResult {
  const { dimension: D, count } = data;
  const { log } = options;
  const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => data.labels[a]! - data.labels[b]! || a - b);
  const arrived = new Float32Array(count * D);
  const index = StreamingVqIndex.create({ dimension: D, seed: options.seed, ...options.config });
  let frozen: StaticIvf | undefined;
  let insertMs = 0;
  const checkpoints: CheckpointFigures[] = [];
  const scratch = new Float32Array(count);
  log(
    `\n## drift runbook: ${data.name}, ${count} rows arriving label by label, ${options.checkpoints} checkpoints, probing ${(100 * options.probeFraction).toFixed(2)}% of clusters`,
  );
  for (let checkpoint = 1; checkpoint <= options.checkpoints; checkpoint += 1) {
    const from = Math.floor((count * (checkpoint - 1)) / options.checkpoints);
    const upTo = Math.floor((count * checkpoint) / options.checkpoints);
    for (let j = from; j < upTo; j += 1) arrived.set(data.rows.subarray(order[j]! * D, (order[j]! + 1) * D), j * D);
    const start = performance.now();
    for (let j = from; j < upTo; j += 1) {
      index.insert(String(j), arrived.subarray(j * D, (j + 1) * D));
      if ((j + 1) % options.updateEvery === 0) index.update();
    }
    index.update();
    insertMs += performance.now() - start;
    if (!frozen) {
      frozen = StaticIvf.train(arrived, upTo, D, Math.min(options.frozenClusters, upTo), options.seed);
      for (let j = 0; j < upTo; j += 1) frozen.add(j, arrived, j);
    } else {
      for (let j = from; j < upTo; j += 1) frozen.add(j, arrived, j);
    }

    const lastLabel = data.labels[order[upTo - 1]!]!;
    const queries: Float32Array[] = [];
    for (let q = 0; q < data.queryCount && queries.length < options.queriesPerCheckpoint; q += 1) {
      if (data.queryLabels[q]! <= lastLabel) queries.push(data.queries.subarray(q * D, (q + 1) * D));
    }
    const truth = queries.map((query) => exactTopK(arrived, upTo, D, query, 10, scratch));
    const stats = index.stats();
    const clusters = stats.clusters - stats.emptyClusters;
    const nprobe = Math.max(1, Math.round(options.probeFraction * clusters));
    const ours = (probes: number) => ({
      recall: recallAtK(
        truth,
        queries.map((query) => index.search(query, { k: 10, nprobe: probes }).map((hit) => Number(hit.id))),
        10,
      ),
      scanned: mean(queries.map((query) => index.probedLists(query, probes).vectors)),
    });
    const at = ours(nprobe);

    const rebuilt = StaticIvf.train(arrived, upTo, D, clusters, options.seed);
    for (let j = 0; j < upTo; j += 1) rebuilt.add(j, arrived, j);
    const rebuiltRecall = recallAtK(
      truth,
      queries.map((query) => rebuilt.search(query, nprobe, defaultRerank)),
      10,
    );
    const rebuiltScanned = mean(queries.map((query) => rebuilt.probed(query, nprobe).vectors));
    // The frozen IVF has its own K, so it is read at the rebuilt IVF's work: as many vectors scanned per query.
    const frozenRecall = recallAtK(
      truth,
      queries.map((query) => frozen!.search(query, frozen!.nprobeForWork(query, rebuiltScanned), defaultRerank)),
      10,
    );

    // Equal work: walk our nprobe up until we scan as many vectors as the rebuilt IVF did, interpolate between.
    let recallAtRebuiltWork = at.recall;
    let previous = { recall: 0, scanned: 0, ...(nprobe > 1 ? ours(nprobe - 1) : {}) };
    for (let probes = nprobe; probes <= clusters; probes += 1) {
      const point = probes === nprobe ? at : ours(probes);
      if (point.scanned >= rebuiltScanned) {
        const t = point.scanned === previous.scanned ? 1 : (rebuiltScanned - previous.scanned) / (point.scanned - previous.scanned);
        recallAtRebuiltWork = previous.recall + Math.max(0, Math.min(1, t)) * (point.recall - previous.recall);
        break;
      }
      previous = point;
      recallAtRebuiltWork = point.recall;
    }

    const figures: CheckpointFigures = {
      n: upTo,
      clusters,
      nprobe,
      recall: at.recall,
      rebuiltRecall,
      frozenRecall,
      scanned: at.scanned,
      rebuiltScanned,
      recallAtRebuiltWork,
      imbalance: stats.imbalanceFactor,
      maxClusterOverMean: stats.maxClusterOverMean,
    };
    checkpoints.push(figures);
    const work = index.repairWork();
    log(
      `  checkpoint ${checkpoint}: n=${upTo} K=${clusters} nprobe=${nprobe} recall ours=${fixed(at.recall)} rebuilt=${fixed(rebuiltRecall)} frozen=${fixed(frozenRecall)}` +
        ` | scanned ours=${at.scanned.toFixed(0)} rebuilt=${rebuiltScanned.toFixed(0)}, ours at rebuilt's work=${fixed(recallAtRebuiltWork)}` +
        ` | imbalance ${stats.imbalanceFactor.toFixed(3)} max/mean ${stats.maxClusterOverMean.toFixed(2)} (rebuilt ${rebuilt.imbalance().toFixed(2)})` +
        ` | re-examined/insert ${(work.examined / work.inserts).toFixed(2)}`,
    );
  }
  const work = index.repairWork();
  const result: DriftResult = {
    name: data.name,
    checkpoints,
    gapSameNprobeMax: Math.max(...checkpoints.map((c) => 100 * (c.rebuiltRecall - c.recall))),
    gapEqualWorkMax: Math.max(...checkpoints.map((c) => 100 * (c.rebuiltRecall - c.recallAtRebuiltWork))),
    frozenDropMax: Math.max(...checkpoints.map((c) => 100 * (c.rebuiltRecall - c.frozenRecall))),
    imbalanceMax: Math.max(...checkpoints.map((c) => c.imbalance)),
    maxClusterOverMeanMax: Math.max(...checkpoints.map((c) => c.maxClusterOverMean)),
    repairVectorsPerInsert: work.examined / work.inserts,
    insertPerS: count / (insertMs / 1000),
  };
  log(
    `  ${data.name}: gap vs rebuilt ≤ ${result.gapSameNprobeMax.toFixed(2)} points at the same nprobe, ≤ ${result.gapEqualWorkMax.toFixed(2)} at equal vectors scanned;` +
      ` frozen IVF drop ≤ ${result.frozenDropMax.toFixed(2)}; ${result.repairVectorsPerInsert.toFixed(2)} vectors re-examined per insert; ${result.insertPerS.toFixed(0)} inserts/s (update every ${options.updateEvery})`,
  );
  return result;
}

/** The rebuilt and frozen IVFs scan and re-rank like the index's default search. */
const defaultRerank = defaultSearchParams.rerank;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const fixed = (value: number) => value.toFixed(4);
