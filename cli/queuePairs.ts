/** A work queue and the dead-letter queue its redrive policy moves failures to. */
export interface QueuePair {
  /** Short name: ingest, video, index… */
  name: string;
  url: string;
  deadLetterUrl: string;
}

/**
 * Pairs every `<name><deadLetterSuffix>` entry with its `<name><workSuffix>`,
 * so a queue the config or the stack adds shows up without the CLI naming it:
 * `ingestDeadLetterQueue` + `ingestQueue` in pipelineConfig.local,
 * `IngestDeadLetterQueueUrl` + `IngestQueueUrl` in the stack outputs.
 */
export function pairQueues(
  entries: Iterable<readonly [string, unknown]>,
  suffixes: { work: string; deadLetter: string },
): { name: string; work: string; deadLetter: string }[] {
  const values = new Map([...entries].filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const pairs: { name: string; work: string; deadLetter: string }[] = [];
  for (const [key, deadLetter] of values) {
    if (!key.endsWith(suffixes.deadLetter)) continue;
    const base = key.slice(0, -suffixes.deadLetter.length);
    const work = values.get(`${base}${suffixes.work}`);
    if (work) pairs.push({ name: base.charAt(0).toLowerCase() + base.slice(1), work, deadLetter });
  }
  return pairs;
}
