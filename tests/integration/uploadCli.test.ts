import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemIdForContent } from '../../functions/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

const run = promisify(execFile);

async function upload(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'bin/upload.ts', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run upload', () => {
  let pipeline: LocalPipeline;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'xr-upload-cli-'));
    pipeline = await startLocalPipeline({ dataDir: join(workDir, 'data'), ports: 'random', handlerLogLevel: 'SILENT' });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('uploads files and folders, and prints the item each becomes', async () => {
    const album = join(workDir, 'album');
    await mkdir(join(album, 'day 2'), { recursive: true });
    const first = await makeJpeg(320, 200, '#aa3300');
    const second = await makePng(200, 320, '#0033aa');
    await writeFile(join(album, 'first.jpg'), first);
    await writeFile(join(album, 'day 2', 'second.png'), second);
    const loose = join(workDir, 'loose.jpg');
    await writeFile(loose, await makeJpeg(100, 100, '#33aa00'));

    const result = await upload(['--endpoint', pipeline.target.s3.endpoint!, album, loose]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`#item=${itemIdForContent(first)}`);
    expect(result.stdout).toContain(`#item=${itemIdForContent(second)}`);
    expect(result.stdout).toContain('uploads/album/day 2/second.png');

    await pipeline.waitForIdle();
    expect(await pipeline.countOutcomes()).toEqual({ uploads: 3, items: 3, errors: 0 });
  });

  it('fails with exit code 2 and a clear message for a path that does not exist', async () => {
    const result = await upload(['--endpoint', pipeline.target.s3.endpoint!, join(workDir, 'nope.jpg')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no such file or folder: .*nope\.jpg/);
  });

  it('reports failed uploads with exit code 1 when the bucket cannot be reached', async () => {
    const file = join(workDir, 'unreachable.jpg');
    await writeFile(file, await makeJpeg(50, 50));
    const result = await upload(['--endpoint', 'http://127.0.0.1:9', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAILED ${file}`);
    expect(result.stderr).toMatch(/1 of 1 upload\(s\) failed/);
  });
});
