import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../../cli/index.js';
import { pipelineConfig } from '../../functions/config/index.js';
import { itemIdForContent } from '../../functions/domain/items/index.js';
import { queueOutputKeys, stackOutputKeys } from '../../lib/stackOutputs.js';
import { startLocalPipeline, type LocalPipeline } from '../../local/index.js';
import { motoServerMissing, startMotoServer, type MotoServer } from '../helpers/motoServer.js';
import { makeJpeg } from '../helpers/testImages.js';

/**
 * `--stack NAME`: the CLI finds a deployed pipeline through its CloudFormation
 * outputs. moto_server stands in for AWS (CloudFormation, S3 with native
 * notifications, SQS); the pipeline's handlers run against it as the local
 * mode's `--endpoint` does, and a stack there carries the outputs the real
 * stack has (lib/stackOutputs.ts).
 */
const stackName = 'XrMediaPipelineUnderTest';

describe.skipIf(motoServerMissing)(
  `xr-media CLI against a stack found by name${motoServerMissing ? ` (skipped: ${motoServerMissing})` : ''}`,
  () => {
    let moto: MotoServer;
    let pipeline: LocalPipeline;
    let workDir: string;
    let photo: Buffer;
    const awsEnv = () => ({
      AWS_REGION: pipelineConfig.local.region,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_PROFILE: '',
    });

    function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'bin/cli.ts', '--endpoint', moto.endpoint, ...args],
          { env: { ...process.env, ...awsEnv() }, timeout: 120_000 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    }

    beforeAll(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'xr-cli-stack-'));
      moto = await startMotoServer();
      pipeline = await startLocalPipeline({
        dataDir: join(workDir, 'data'),
        ports: 'random',
        endpoint: moto.endpoint,
        handlerLogLevel: 'SILENT',
      });
      const { resources } = pipeline;
      const outputs: Record<string, string> = {
        [stackOutputKeys.mediaBucketName]: resources.mediaBucket,
        [stackOutputKeys.uploadPrefix]: pipelineConfig.prefixes.uploads,
        [stackOutputKeys.viewerUrl]: pipeline.viewerUrl.replace(/\/$/, ''),
        [queueOutputKeys('ingest').work]: resources.queues.ingest.work.url,
        [queueOutputKeys('ingest').deadLetter]: resources.queues.ingest.deadLetter.url,
        [queueOutputKeys('video').work]: resources.queues.video.work.url,
        [queueOutputKeys('video').deadLetter]: resources.queues.video.deadLetter.url,
        [queueOutputKeys('index').work]: resources.queues.index.work.url,
        [queueOutputKeys('index').deadLetter]: resources.queues.index.deadLetter.url,
      };
      const cloudFormation = new CloudFormationClient({
        endpoint: moto.endpoint,
        region: pipelineConfig.local.region,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await cloudFormation.send(
        new CreateStackCommand({
          StackName: stackName,
          TemplateBody: JSON.stringify({
            Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'stack-marker' } } },
            Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
          }),
        }),
      );
      cloudFormation.destroy();
      photo = await makeJpeg(240, 180, '#806020');
      await writeFile(join(workDir, 'photo.jpg'), photo);
    });

    afterAll(async () => {
      await pipeline?.stop();
      await moto?.stop();
      await rm(workDir, { recursive: true, force: true });
    });

    it('uploads to the stack’s bucket and waits for the item', async () => {
      const result = await cli(['--stack', stackName, 'upload', '--wait', join(workDir, 'photo.jpg')]);
      expect(result.code, result.stderr).toBe(exitCodes.ok);
      expect(result.stdout).toContain(`uploading 1 file(s)`);
      expect(result.stdout).toContain(`to stack ${stackName} at ${moto.endpoint} (bucket ${pipeline.resources.mediaBucket}`);
      expect(result.stdout).toContain(`${pipeline.viewerUrl}#item=${itemIdForContent(photo)}`);
      expect(result.stdout).toContain('items 1, rejected 0, still processing 0');
    });

    it('reports status over the queues the stack outputs name', async () => {
      await pipeline.waitForIdle();
      const result = await cli(['--stack', stackName, 'status', '--json']);
      expect(result.code, result.stderr).toBe(exitCodes.ok);
      const status = JSON.parse(result.stdout) as {
        queues: { name: string; deadLetters: number }[];
        items: number;
        index: { liveItems: number };
      };
      expect(status.queues.map((queue) => queue.name).sort()).toEqual(['index', 'ingest', 'video']);
      expect(status).toMatchObject({ items: 1, index: { liveItems: 1 } });
    });

    it('searches through the stack’s viewer URL, redrives nothing, and opens the viewer', async () => {
      const similar = JSON.parse((await cli(['--stack', stackName, 'similar', join(workDir, 'photo.jpg'), '--json'])).stdout) as {
        similar: { itemId: string }[];
      };
      expect(similar.similar[0]?.itemId).toBe(itemIdForContent(photo));
      const redrive = await cli(['--stack', stackName, 'redrive']);
      expect(redrive.code, redrive.stderr).toBe(exitCodes.ok);
      expect(redrive.stdout).toContain('nothing to redrive');
      const open = await cli(['--stack', stackName, 'open', '--print']);
      expect(open.stdout.trim()).toBe(pipeline.viewerUrl);
    });

    it('exits 4 for a stack that does not exist', async () => {
      const result = await cli(['--stack', 'NoSuchStack', 'status']);
      expect(result.code).toBe(exitCodes.notFound);
      expect(result.stderr).toContain('no stack NoSuchStack');
    });
  },
);
