import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../../cli/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { itemIdForContent, itemKeys, type ItemManifest } from '../../functions/domain/items/index.js';
import { messageCounts, S3ObjectStore } from '../../functions/adapters/store/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { uploadCreatedRecord } from '../helpers/sqsEvents.js';
import { cli, localEndpointArgs } from '../helpers/cliProcess.js';
import { makeJpeg, makePng } from '../helpers/testImages.js';

/** A port nothing listens on: the OS hands out a free one, and it is closed again at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('xr-media CLI against the local mode', () => {
  let pipeline: LocalPipeline;
  let workDir: string;
  /** Points the CLI at this test's pipeline (random ports) the way a user points it at a non-default one. */
  let endpoints: string[];
  const images: { red: Buffer; blue: Buffer; green: Buffer } = {} as never;

  const run = (args: string[], env?: NodeJS.ProcessEnv) => cli([...endpoints, ...args], env);
  const deadLetters = async () => (await messageCounts(pipeline.sqs, pipeline.resources.queues.ingest.deadLetter.url)).waiting;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'xr-cli-'));
    pipeline = await startLocalPipeline({ dataDir: join(workDir, 'data'), ports: 'random', handlerLogLevel: 'SILENT' });
    endpoints = localEndpointArgs(pipeline);
    images.red = await makeJpeg(320, 200, '#aa3300');
    images.blue = await makePng(200, 320, '#0033aa');
    images.green = await makeJpeg(160, 160, '#33aa00');
    await mkdir(join(workDir, 'album', 'day 2'), { recursive: true });
    await writeFile(join(workDir, 'album', 'red.jpg'), images.red);
    await writeFile(join(workDir, 'album', 'day 2', 'blue.png'), images.blue);
    await writeFile(join(workDir, 'green.jpg'), images.green);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('prints help for the program and every subcommand, with exit code 0', async () => {
    const root = await cli(['--help']);
    expect(root.code).toBe(exitCodes.ok);
    for (const command of ['upload', 'status', 'items', 'errors', 'similar', 'share', 'redrive', 'reconcile', 'open'])
      expect(root.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(root.stdout).toContain('Exit codes:');
    for (const command of [
      ['upload'],
      ['status'],
      ['items', 'list'],
      ['items', 'show'],
      ['errors', 'list'],
      ['errors', 'show'],
      ['similar'],
      ['share'],
      ['redrive'],
      ['reconcile'],
      ['open'],
    ]) {
      const help = await cli([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(exitCodes.ok);
      expect(help.stdout).toContain(`Usage: xr-media ${command.join(' ')}`);
    }
  });

  it('exits 2 on a wrong command line, before touching the pipeline', async () => {
    const unknownOption = await run(['status', '--bogus']);
    expect(unknownOption.code).toBe(exitCodes.usage);
    expect(unknownOption.stderr).toContain("unknown option '--bogus'");
    const missingFile = await run(['upload', join(workDir, 'nope.jpg')]);
    expect(missingFile.code).toBe(exitCodes.usage);
    expect(missingFile.stderr).toMatch(/no such file or folder: .*nope\.jpg/);
    const badId = await run(['items', 'show', 'not-an-id']);
    expect(badId.code).toBe(exitCodes.usage);
    const stackAndEndpoint = await cli(['--stack', 'X', '--s3-endpoint', 'http://127.0.0.1:1', 'status']);
    expect(stackAndEndpoint.code).toBe(exitCodes.usage);
  });

  it('exits 3 with a hint when the local mode is not running', async () => {
    const port = await closedPort();
    const closed = [
      '--s3-endpoint',
      `http://127.0.0.1:${port}`,
      '--sqs-endpoint',
      `http://127.0.0.1:${port}`,
      '--viewer-url',
      `http://127.0.0.1:${port}/`,
    ];
    for (const args of [['status'], ['upload', join(workDir, 'green.jpg')], ['open', '--print'], ['similar', '0'.repeat(32)]]) {
      const result = await cli([...closed, ...args]);
      expect(result.code, args.join(' ')).toBe(exitCodes.unreachable);
      expect(result.stderr).toMatch(/did not answer \(ECONNREFUSED\); is `npm start` running\?/);
    }
  });

  it('uploads files and folders, waits for their items, and skips them when run again (resumable)', async () => {
    const first = await run(['upload', '--wait', join(workDir, 'album'), join(workDir, 'green.jpg')]);
    expect(first.code, first.stderr).toBe(exitCodes.ok);
    for (const image of Object.values(images)) expect(first.stdout).toContain(`#item=${itemIdForContent(image)}`);
    expect(first.stdout).toContain('-> uploads/album/day 2/blue.png');
    expect(first.stdout).toContain('uploaded 3, skipped 0 (already there), failed 0');
    expect(first.stdout).toContain('items 3, rejected 0, still processing 0');
    await pipeline.waitForIdle();
    expect(await pipeline.countOutcomes()).toEqual({ uploads: 3, items: 3, errors: 0 });

    const processedBefore = pipeline.processedMessages();
    const again = await run(['upload', join(workDir, 'album'), join(workDir, 'green.jpg')]);
    expect(again.code).toBe(exitCodes.ok);
    expect(again.stdout).toContain('uploaded 0, skipped 3 (already there), failed 0');
    await pipeline.waitForIdle();
    expect(pipeline.processedMessages()).toBe(processedBefore);
  });

  it('exits 1 for an upload the pipeline rejects, and `errors` says why', async () => {
    const bad = join(workDir, 'not-a-photo.jpg');
    await writeFile(bad, 'this is text, not a JPEG');
    const result = await run(['upload', '--wait', bad, join(workDir, 'green.jpg')]);
    expect(result.code).toBe(exitCodes.failed);
    expect(result.stdout).toMatch(/REJECTED {2}.*not-a-photo\.jpg: unsupported-type: /);
    expect(result.stdout).toContain('items 1, rejected 1, still processing 0');

    const list = await run(['errors']);
    expect(list.code).toBe(exitCodes.ok);
    expect(list.stdout).toMatch(/unsupported-type\s+uploads\/not-a-photo\.jpg/);
    const json = JSON.parse((await run(['errors', '--json'])).stdout) as { key: string; code: string; recordId: string }[];
    expect(json.map((record) => [record.key, record.code])).toEqual([['uploads/not-a-photo.jpg', 'unsupported-type']]);

    for (const name of ['not-a-photo.jpg', 'uploads/not-a-photo.jpg', json[0]!.recordId]) {
      const shown = await run(['errors', 'show', name]);
      expect(shown.code, name).toBe(exitCodes.ok);
      expect(JSON.parse(shown.stdout)).toMatchObject({ key: 'uploads/not-a-photo.jpg', code: 'unsupported-type' });
    }
    const missing = await run(['errors', 'show', 'never-uploaded.jpg']);
    expect(missing.code).toBe(exitCodes.notFound);
  });

  it('lists items and shows one', async () => {
    const list = await run(['items']);
    expect(list.code).toBe(exitCodes.ok);
    for (const image of Object.values(images)) expect(list.stdout).toContain(itemIdForContent(image));
    expect(list.stdout).toMatch(/image\s+ready\s+200×320/);

    const paged = JSON.parse((await run(['items', '--limit', '2', '--json'])).stdout) as { items: ItemManifest[]; nextCursor?: string };
    expect(paged.items).toHaveLength(2);
    const rest = JSON.parse((await run(['items', '--json', '--cursor', paged.nextCursor!])).stdout) as {
      items: ItemManifest[];
      nextCursor?: string;
    };
    expect([...paged.items, ...rest.items].map((item) => item.itemId).sort()).toEqual(Object.values(images).map(itemIdForContent).sort());

    const blueId = itemIdForContent(images.blue);
    const shown = await run(['items', 'show', blueId]);
    expect(shown.code).toBe(exitCodes.ok);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      itemId: blueId,
      kind: 'image',
      widthPx: 200,
      heightPx: 320,
      source: { key: 'uploads/album/day 2/blue.png' },
    });
    expect(shown.stderr).toContain(`${pipeline.viewerUrl}#item=${blueId}`);
    expect((await run(['items', 'show', '0'.repeat(32)])).code).toBe(exitCodes.notFound);
  });

  it('reports status: every queue, counts and the index size', async () => {
    const result = await run(['status']);
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    for (const queue of ['ingest', 'video', 'index']) expect(result.stdout).toMatch(new RegExp(`^${queue}\\s+0\\s+0\\s+0\\s+0$`, 'm'));
    expect(result.stdout).toContain('uploads 4 · items 3 · error records 1');
    expect(result.stdout).toMatch(/index 3 item\(s\) in 1 of 1 shard\(s\)/);

    const json = JSON.parse((await run(['status', '--json'])).stdout) as {
      queues: { name: string }[];
      items: number;
      index: { liveItems: number };
    };
    expect(json.queues.map((queue) => queue.name).sort()).toEqual(['index', 'ingest', 'video']);
    expect(json).toMatchObject({ uploads: 4, items: 3, errors: 1, index: { liveItems: 3 } });
  });

  it('finds similar items by item id and by image file, through the HTTP API', async () => {
    const redId = itemIdForContent(images.red);
    const byId = await run(['similar', redId, '-k', '2']);
    expect(byId.code, byId.stderr).toBe(exitCodes.ok);
    const neighbours = JSON.parse((await run(['similar', redId, '-k', '2', '--json'])).stdout) as { similar: { itemId: string }[] };
    expect(neighbours.similar).toHaveLength(2);
    expect(neighbours.similar.map((hit) => hit.itemId)).not.toContain(redId);
    for (const hit of neighbours.similar) expect(byId.stdout).toContain(`#item=${hit.itemId}`);

    const byFile = JSON.parse((await run(['similar', join(workDir, 'green.jpg'), '--json'])).stdout) as {
      similar: { itemId: string; score: number }[];
    };
    expect(byFile.similar[0]).toMatchObject({ itemId: itemIdForContent(images.green) });
    expect(byFile.similar[0]!.score).toBeGreaterThan(0.999);

    expect((await run(['similar', '0'.repeat(32)])).code).toBe(exitCodes.notFound);
    const notImage = await run(['similar', join(workDir, 'not-a-photo.jpg')]);
    expect(notImage.code).toBe(exitCodes.failed);
    expect(notImage.stderr).toContain('415');
  });

  it('redrive with empty dead-letter queues does nothing and exits 0', async () => {
    const result = await run(['redrive']);
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    for (const queue of ['ingest', 'video', 'index']) expect(result.stdout).toContain(`${queue}: dead-letter queue empty`);
    expect(result.stdout).toContain('nothing to redrive: every dead-letter queue is empty');
    expect((await run(['redrive', 'nonsense'])).code).toBe(exitCodes.usage);
  });

  it('shows a dead letter in status, lists it with --dry-run, and redrives it through ingest', async () => {
    const key = 'uploads/album/red.jpg';
    // The notification S3 sent for a real upload, as it sits in the DLQ after its receives ran out.
    await pipeline.sqs.send(
      new SendMessageCommand({
        QueueUrl: pipeline.resources.queues.ingest.deadLetter.url,
        MessageBody: uploadCreatedRecord(pipeline.resources.mediaBucket, key).body,
      }),
    );
    const status = await run(['status']);
    expect(status.code).toBe(exitCodes.failed);
    expect(status.stdout).toMatch(/^ingest\s+0\s+0\s+0\s+1$/m);
    expect(status.stderr).toContain('1 dead letter(s)');

    const dryRun = await run(['redrive', '--dry-run', 'ingest']);
    expect(dryRun.code).toBe(exitCodes.failed);
    expect(dryRun.stdout).toContain('ingest: 1 dead letter(s)');
    expect(dryRun.stdout).toContain(key);
    expect(await deadLetters()).toBe(1);

    const processedBefore = pipeline.processedMessages();
    const redrive = await run(['redrive', 'ingest']);
    expect(redrive.code, redrive.stderr).toBe(exitCodes.ok);
    expect(redrive.stdout).toContain('ingest: moved 1 of 1 message(s) back to the work queue (receive, send, delete)');
    await pipeline.waitForIdle();
    expect(pipeline.processedMessages()).toBe(processedBefore + 1);
    expect(await deadLetters()).toBe(0);
    expect((await run(['status'])).code).toBe(exitCodes.ok);
    const store = new S3ObjectStore(pipeline.s3, pipeline.resources.mediaBucket);
    expect(await store.head(itemKeys.manifest(itemIdForContent(images.red)))).toBeDefined();
  });

  it('redrives the FIFO index queue’s dead letters in their message group', async () => {
    const { work: indexQueue, deadLetter: indexDeadLetterQueue } = pipeline.resources.queues.index;
    // Index updates that failed every receive: a delete of an item the index never had is harmless to apply.
    for (const [index, itemId] of ['1', '2'].map((digit) => digit.repeat(32)).entries()) {
      await pipeline.sqs.send(
        new SendMessageCommand({
          QueueUrl: indexDeadLetterQueue.url,
          MessageBody: JSON.stringify({ op: 'delete', itemId }),
          MessageGroupId: 's0',
          MessageDeduplicationId: `dead-${index}`,
        }),
      );
    }
    const result = await run(['redrive', 'index']);
    expect(result.code, result.stdout + result.stderr).toBe(exitCodes.ok);
    expect(result.stdout).toContain('index: moved 2 of 2 message(s) back to the work queue');
    await pipeline.waitForIdle();
    const depth = async (url: string) => (await messageCounts(pipeline.sqs, url)).waiting;
    expect(await depth(indexDeadLetterQueue.url)).toBe(0);
    expect(await depth(indexQueue.url)).toBe(0);
  });

  it('reconciles: an upload whose outcome was lost is announced again and ends as before', async () => {
    const store = new S3ObjectStore(pipeline.s3, pipeline.resources.mediaBucket);
    const nothing = await run(['reconcile']);
    expect(nothing.code, nothing.stderr).toBe(exitCodes.ok);
    expect(nothing.stdout).toContain('nothing to reconcile');

    // As if the rejected upload's event had been lost before ingest saw it: no error record, no item.
    const recordKey = itemKeys.errorRecord('uploads/not-a-photo.jpg');
    await store.deleteKeys([recordKey]);
    const result = await run(['reconcile']);
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    expect(result.stdout).toContain('re-enqueued uploads/not-a-photo.jpg');
    expect(result.stdout).toContain('re-enqueued 1 upload(s)');
    await pipeline.waitForIdle();
    expect(await store.head(recordKey)).toBeDefined();

    // On a stack the default leaves uploads younger than the scheduled sweep's minimum age alone.
    await store.deleteKeys([recordKey]);
    const tooYoung = JSON.parse((await run(['reconcile', '--min-age', '60', '--json'])).stdout) as { requeued: string[]; tooYoung: number };
    expect(tooYoung).toMatchObject({ requeued: [], tooYoung: 1 });
    await run(['reconcile']);
    await pipeline.waitForIdle();
  });

  it('prints and opens the viewer URL', async () => {
    const printed = await run(['open', '--print']);
    expect(printed.code).toBe(exitCodes.ok);
    expect(printed.stdout.trim()).toBe(pipeline.viewerUrl);

    // A stand-in browser that records the URL it was asked to open.
    const opened = join(workDir, 'opened.txt');
    const browser = join(workDir, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(browser, 0o755);
    const itemId = itemIdForContent(images.green);
    const result = await run(['open', itemId], { BROWSER: browser });
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    expect(await readFile(opened, 'utf8')).toBe(`${pipeline.viewerUrl}#item=${itemId}`);

    const noBrowser = await run(['open'], { BROWSER: join(workDir, 'no-such-browser') });
    expect(noBrowser.code).toBe(exitCodes.failed);
    expect(noBrowser.stdout.trim()).toBe(pipeline.viewerUrl);
    expect(noBrowser.stderr).toContain('open the URL above yourself');
  });

  it('uploads a changed file again even though its key exists', async () => {
    // Last: replacing an upload's content replaces its item, which changes what the other tests count.
    const changedFile = join(workDir, 'album', 'red.jpg');
    await writeFile(changedFile, await makeJpeg(330, 200, '#aa3300'));
    const changed = await run(['upload', '--wait', join(workDir, 'album')]);
    expect(changed.code, changed.stderr).toBe(exitCodes.ok);
    expect(changed.stdout).toContain('uploaded 1, skipped 1 (already there), failed 0');
    expect(changed.stdout).toContain(`#item=${itemIdForContent(await readFile(changedFile))}`);
    const forced = await run(['upload', '--force', join(workDir, 'album')]);
    expect(forced.stdout).toContain('uploaded 2, skipped 0 (already there), failed 0');
    await pipeline.waitForIdle();
  });

  it('runs as the package bin, and keeps `npm run upload` as an alias of `cli upload`', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.upload).toBe(`${pkg.scripts.cli} upload`);
    expect(Object.keys(pkg.bin)).toEqual(['xr-media']);
    const viaBin = await cli([...endpoints, 'status', '--json'], {}, [pkg.bin['xr-media']!]);
    expect(viaBin.code, viaBin.stderr).toBe(exitCodes.ok);
    expect(JSON.parse(viaBin.stdout)).toMatchObject({ items: 3 });
  });

  it(`reads the local mode's endpoints from the environment too`, async () => {
    const env = {
      XR_MEDIA_S3_ENDPOINT: pipeline.target.s3.endpoint!,
      XR_MEDIA_SQS_ENDPOINT: pipeline.target.sqs.endpoint!,
      XR_MEDIA_VIEWER_URL: pipeline.viewerUrl,
    };
    const result = await cli(['status', '--json'], env);
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ items: 3 });
    expect(pipelineConfig.local.mediaBucket).toBe(pipeline.resources.mediaBucket);
  });
});
