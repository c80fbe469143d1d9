import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../../cli/index.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { cli, localEndpointArgs } from '../helpers/cliProcess.js';
import { SignInClient } from '../helpers/signInClient.js';
import { makeJpeg } from '../helpers/testImages.js';

/** The CLI against a local mode with sign-in on: it signs its own API calls and share links with the pipeline's key. */
describe('xr-media CLI with sign-in on', () => {
  let pipeline: LocalPipeline;
  let workDir: string;
  let dataDir: string;
  let endpoints: string[];
  let itemId: string;
  let otherItemId: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'xr-cli-sign-in-'));
    dataDir = join(workDir, 'data');
    pipeline = await startLocalPipeline({ dataDir, ports: 'random', handlerLogLevel: 'SILENT', signIn: {} });
    endpoints = localEndpointArgs(pipeline);
    const [red, blue] = await Promise.all([makeJpeg(200, 120, '#aa3300'), makeJpeg(200, 120, '#0033aa')]);
    await pipeline.upload('uploads/red.jpg', red);
    await pipeline.upload('uploads/blue.jpg', blue);
    await pipeline.waitForIdle(120_000);
    [itemId, otherItemId] = [itemIdForContent(red), itemIdForContent(blue)];
  }, 180_000);
  afterAll(async () => {
    await pipeline?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('searches through the API with cookies it signs, and says why when it has no key', async () => {
    const signed = await cli([...endpoints, '--data-dir', dataDir, 'similar', itemId, '--json']);
    expect(signed.code, signed.stderr).toBe(exitCodes.ok);
    expect((JSON.parse(signed.stdout) as { similar: { itemId: string }[] }).similar.map((hit) => hit.itemId)).toContain(otherItemId);
    const keyless = await cli([...endpoints, '--data-dir', join(workDir, 'elsewhere'), 'similar', itemId]);
    expect(keyless.code).toBe(exitCodes.failed);
    expect(keyless.stderr).toContain('answered 403');
  });

  it('prints a share link that opens that item and nothing else', async () => {
    const shared = await cli([...endpoints, '--data-dir', dataDir, 'share', itemId, '--expires', '2h', '--json']);
    expect(shared.code, shared.stderr).toBe(exitCodes.ok);
    const link = JSON.parse(shared.stdout) as { url: string; expiresAt: string; itemId: string };
    expect(link.itemId).toBe(itemId);
    expect(Math.abs(Date.parse(link.expiresAt) - Date.now() - 2 * 3600_000)).toBeLessThan(60_000);
    const friend = new SignInClient(pipeline.viewerUrl);
    expect((await friend.request(link.url)).headers.get('location')).toBe(`/#item=${itemId}`);
    expect((await friend.request(`/items/${itemId}/manifest.json`)).status).toBe(200);
    expect((await friend.request(`/items/${otherItemId}/manifest.json`)).status).toBe(403);
    expect((await friend.request('/api/items')).status).toBe(403);
  });

  it('refuses to share what does not exist, for too long, or without the key', async () => {
    const missing = await cli([...endpoints, '--data-dir', dataDir, 'share', 'f'.repeat(32)]);
    expect(missing.code).toBe(exitCodes.notFound);
    const tooLong = await cli([...endpoints, '--data-dir', dataDir, 'share', itemId, '--expires', '90d']);
    expect(tooLong.code).toBe(exitCodes.usage);
    expect(tooLong.stderr).toContain('a share lasts from 60 s');
    const badDuration = await cli([...endpoints, '--data-dir', dataDir, 'share', itemId, '--expires', 'soon']);
    expect(badDuration.code).toBe(exitCodes.usage);
    const keyless = await cli([...endpoints, '--data-dir', join(workDir, 'elsewhere'), 'share', itemId]);
    expect(keyless.code).toBe(exitCodes.failed);
    expect(keyless.stderr).toContain('sign-in is off');
  });
});
