/** Tunables of one streaming VQ index; defaults in pipelineConfig.vq.index. */
export interface VqIndexConfig {
  dimension: number;
  /** Seed of the index's PRNG (split seeding); same seed and same operations, same index. */
  seed: number;
  /** Mean members per centroid the codebook grows toward (K ≈ items / target). */
  targetClusterSize: number;
  /** A cluster larger than splitFactor × target is split in two at once. */
  splitFactor: number;
  /** Ceiling on K; at the ceiling a split re-seeds the smallest cluster's centroid instead of adding one. */
  maxClusters: number;
  /** Balance discount: score − penalty × max(0, size / target − 1) when assigning. */
  balancePenalty: number;
  /** Floor of the EMA learning rate of a centroid per update, so the codebook follows the stream. */
  emaMinRate: number;
  /** Items re-checked per update() (whole clusters, most-drifted first). */
  repairBudget: number;
  /** Centroids (nearest to the cluster's own) a repaired item may move to. */
  repairCandidates: number;
  /** A cluster is repaired once its centroid has drifted this much (1 − cos) since its last repair. */
  repairMinDrift: number;
  /** Balanced 2-means iterations when a cluster is split. */
  splitIterations: number;
}

export interface SearchHit {
  id: string;
  /** Inner product with the query (cosine for unit vectors). */
  score: number;
}

export interface IndexStats {
  items: number;
  clusters: number;
  emptyClusters: number;
  /** K · Σ nᵢ² / N² (FAISS's imbalance factor; 1 is perfectly balanced). */
  imbalanceFactor: number;
  /** Largest cluster over the mean cluster size. */
  maxClusterOverMean: number;
}

export interface UpdateReport {
  centroidsUpdated: number;
  reseeded: number;
  clustersRepaired: number;
  itemsChecked: number;
  itemsMoved: number;
}

/** What changed since the last takeChanges(): what a delta segment must record. */
export interface IndexChanges {
  /** Items inserted, replaced or moved to another list (their current state). */
  puts: StoredEntry[];
  /** Ids deleted and not re-inserted since. */
  deletes: string[];
}

/** One item as it is stored: id, list, insertion sequence and its unit vector. */
export interface StoredEntry {
  id: string;
  list: number;
  seq: number;
  vector: Float32Array;
}

/** Everything besides the entries that a reload needs to continue exactly. */
export interface IndexSnapshotState {
  config: VqIndexConfig;
  /** K × dimension, row-major. */
  centroids: Float32Array;
  k: number;
  /** Per-centroid drift since its last repair. */
  drift: Float32Array;
  prngState: number;
  nextSeq: number;
}
