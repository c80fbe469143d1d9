import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { videoWorkDirPrefix } from '../ingest/index.js';

/**
 * Removes every video job folder under the temp root. Only safe where one job
 * runs at a time (a Lambda environment): it clears what an invocation killed by
 * its timeout left in /tmp, so those folders cannot fill it.
 */
export async function clearVideoWorkDirs(root = tmpdir()): Promise<void> {
  const stale = (await readdir(root)).filter((name) => name.startsWith(videoWorkDirPrefix));
  await Promise.all(stale.map((name) => rm(join(root, name), { recursive: true, force: true })));
}
