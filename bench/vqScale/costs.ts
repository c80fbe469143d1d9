/**
 * What the retrieval index costs at scale, per million items stored, upserts
 * and queries, from per-operation figures a bench measured. The prices are
 * bench/costs.ts's table, so both benches quote the same list prices and a
 * price update changes both.
 */
import { prices } from '../costs.js';

export interface ScaleFigures {
  /** Index bytes in S3 per item (codes, vectors, their share of pages and manifests). */
  bytesPerItemStored: number;
  /** S3 PUT-class requests per upsert, amortized over the writer's commits. */
  s3PutsPerUpsert: number;
  /** S3 GET-class requests per upsert: the lists a commit reads back (splits, repairs, removals of lists it does not hold). */
  s3GetsPerUpsert: number;
  /** S3 GET-class requests of a query on a cold function (nothing cached); a warm one makes none. */
  s3GetsPerQueryCold: number;
  /** Share of queries that land on a cold function, 0-1. */
  coldQueryFraction: number;
  queryMsWarm: number;
  queryMsCold: number;
  queryFunctionMemoryMb: number;
  /** The writer function's billed time per upsert, amortized over its batches. */
  writerMsPerUpsert: number;
  writerMemoryMb: number;
  /** SQS requests per upsert (send, receive, delete, amortized over batches). */
  sqsRequestsPerUpsert: number;
}

export interface ScaleCosts {
  perMillionItemsStoredPerMonthUsd: number;
  perMillionUpsertsUsd: number;
  perMillionQueriesUsd: number;
  /** When the prices were checked (bench/costs.ts's comment on its table). */
  priceDate: string;
  assumptions: string[];
}

/** As bench/costs.ts: S3 bills GB-months of 2^30 bytes. */
const gb = 1024 ** 3;
const million = 1e6;
/** From the comment on bench/costs.ts's price table ("checked against the AWS pricing pages in 2025"); update both together. */
const priceDate = '2025';

/** Lambda's compute charge for one run of `ms` at `memoryMb` (billed per GB-second, memory in units of 1024 MB). */
const lambdaCompute = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024) * prices.lambdaPerGbSecond;

export function scaleCosts(figures: ScaleFigures): ScaleCosts {
  const storage = (million * figures.bytesPerItemStored * prices.s3PerGbMonth) / gb;
  const upsert =
    figures.s3PutsPerUpsert * prices.s3PerPut +
    figures.s3GetsPerUpsert * prices.s3PerGet +
    figures.sqsRequestsPerUpsert * prices.sqsPerRequest +
    lambdaCompute(figures.writerMsPerUpsert, figures.writerMemoryMb) +
    // An upper bound: the writer takes upserts in SQS batches, so it is invoked fewer times than this.
    prices.lambdaPerRequest;
  const meanQueryMs = figures.coldQueryFraction * figures.queryMsCold + (1 - figures.coldQueryFraction) * figures.queryMsWarm;
  const query =
    prices.lambdaPerRequest +
    lambdaCompute(meanQueryMs, figures.queryFunctionMemoryMb) +
    figures.coldQueryFraction * figures.s3GetsPerQueryCold * prices.s3PerGet;
  return {
    perMillionItemsStoredPerMonthUsd: storage,
    perMillionUpsertsUsd: million * upsert,
    perMillionQueriesUsd: million * query,
    priceDate,
    assumptions: [
      `us-east-1 list prices checked in ${priceDate} (bench/costs.ts), free tiers ignored`,
      'storage: bytesPerItemStored in S3 Standard (GB = 2^30 bytes), billed per month',
      'upserts: one writer invocation per upsert (an upper bound: SQS batches make it fewer); its time and the S3 (PUT and GET) and SQS requests amortized as measured',
      'queries: one query-function invocation each; warm queries are served from its cache with no S3 requests, cold ones make the cold GETs',
      "not included: CloudFront in front of the query function, CloudWatch logs and metrics, data transfer, and Lambda's per-invocation rounding",
    ],
  };
}
