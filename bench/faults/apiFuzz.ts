import type { S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { S3ObjectStore } from '../../functions/adapters/store/index.js';
import { getJson, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { answerProblems, fuzzBodies, fuzzRequests, sendFuzzRequest } from '../../tests/helpers/httpFuzz.js';

export interface ApiFuzzResult {
  requests: number;
  /** Answers of 500 or more that were not a 503 saying the storage is unavailable (a viewer not built counts: build it first). */
  serverErrors: number;
  /** 503s with their sentence: the storage under the API was faulted, and the API said so. */
  unavailable: number;
  /** Answers that broke a rule (tests/helpers/httpFuzz.ts): a wrong item file, a foreign byte, a 4xx without words. */
  wrong: number;
  /** Requests that got no answer in time, or whose connection failed. */
  unanswered: number;
  /** The 503s by what they said, and the path of one of each. */
  unavailableSaying: Record<string, { count: number; path: string }>;
  problems: string[];
}

/**
 * The HTTP fuzz's requests (tests/helpers/httpFuzz.ts), sent to the local server while the run goes on and its
 * storage is faulted, around one ready item: every answer must be right, a 4xx with a sentence, or a 503 that says
 * the storage is unavailable. Item files are compared with the bucket read directly (`directS3`, not faulted).
 */
export async function fuzzApi(options: {
  viewerUrl: string;
  directS3: S3Client;
  bucket: string;
  itemId: string;
  count: number;
  seed: number;
}): Promise<ApiFuzzResult> {
  const store = new S3ObjectStore(options.directS3, options.bucket);
  const manifest = await getJson<ItemManifest>(store, itemKeys.manifest(options.itemId));
  const bodies = await fuzzBodies();
  const requests = fc.sample(
    fuzzRequests({
      itemId: options.itemId,
      previewKeys: (manifest?.previews ?? []).map((preview) => preview.key),
      bodyNames: [...bodies.keys()],
    }),
    { seed: options.seed, numRuns: options.count },
  );
  const port = Number(new URL(options.viewerUrl).port);
  const readObject = async (key: string) => {
    const bytes = await store.getBytes(key);
    return bytes && Buffer.from(bytes);
  };
  const result: ApiFuzzResult = {
    requests: 0,
    serverErrors: 0,
    unavailable: 0,
    wrong: 0,
    unanswered: 0,
    unavailableSaying: {},
    problems: [],
  };
  for (const sent of requests) {
    result.requests += 1;
    const answer = await sendFuzzRequest(port, bodies, sent).catch((error: unknown) => {
      result.unanswered += 1;
      result.problems.push(`${sent.method} ${sent.path.slice(0, 200)}: ${String(error)}`);
      return 'hung up' as const;
    });
    if (answer === 'hung up') continue;
    const problems = await answerProblems(sent, answer, readObject, { storageFaulted: true });
    if (answer.status === 503 && problems.length === 0) {
      result.unavailable += 1;
      const saying = answer.body.toString('utf8', 0, 120);
      result.unavailableSaying[saying] = {
        count: (result.unavailableSaying[saying]?.count ?? 0) + 1,
        path: `${sent.method} ${sent.path.slice(0, 80)}`,
      };
    } else if (answer.status >= 500) result.serverErrors += 1;
    if (problems.length > 0) result.wrong += 1;
    result.problems.push(...problems);
  }
  return result;
}
