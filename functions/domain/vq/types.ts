/** Tunables of one streaming VQ index; defaults in pipelineConfig.vq.index. */
export interface VqIndexConfig {
  dimension: number;
  /** Seed of the index's PRNG (split directions); same seed and same operations, same index. */
  seed: number;
  /** The cluster size the balance term and merges are measured against. */
  targetClusterSize: number;
  /** A cluster larger than splitFactor × target is split in two at once. */
  splitFactor: number;
  /** Ceiling on K; at the ceiling a split re-seeds the smallest cluster's centroid instead of adding one. */
  maxClusters: number;
  /** Balance discount: score − penalty × max(0, size / target − 1) when assigning. */
  balancePenalty: number;
  /** Repair credit earned per insert: vectors re-examined on average (split and merge reassignment, then drift repair). */
  repairPerInsert: number;
  /** Centroids (nearest to the cluster's own) a re-examined vector may move to. */
  repairCandidates: number;
  /** A cluster is repaired once its centroid has moved this much (1 − cos) since its last repair. */
  repairMinDrift: number;
  /** 2-means iterations when a cluster is split. */
  splitIterations: number;
  /** After a split, the members of this many neighbouring clusters are re-examined against the two new centroids. */
  splitNeighbours: number;
  /** A cluster below mergeFraction × target is dissolved into its neighbours (once it is older than a few splits' worth of inserts). */
  mergeFraction: number;
  /**
   * An arriving vector farther (1 − cos) from its nearest centroid than this many times that cluster's mean member
   * distance opens a centroid of its own (online facility location), so a new region gets its own list; 0: never.
   */
  seedDistanceFactor: number;
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
  /** Clusters split by inserts since the last update. */
  clustersSplit: number;
  clustersMerged: number;
  clustersRepaired: number;
  /** Vectors re-examined since the last update (splits, merges and repair). */
  itemsChecked: number;
  itemsMoved: number;
}

/** Repair work over the index's life in this process: what "vectors re-examined per insert" is computed from. */
export interface RepairWork {
  inserts: number;
  examined: number;
  moved: number;
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
  /** Repair credit carried to the next update (earned by inserts, spent by re-examining vectors). */
  repairCredit: number;
}

/** The embedder whose vectors the index holds; a query must use the same one. */
export interface EmbedderRef {
  name: string;
  version: string;
  dimension: number;
}
