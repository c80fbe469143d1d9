import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig } from '../../functions/config/index.js';
import { deployContext, InvalidDeployContextError } from '../../lib/deployContext.js';
import { buildStack, fakeViewerBuild, type CfnResource } from '../helpers/stackUnderTest.js';

const specDir = mkdtempSync(join(tmpdir(), 'xr-model-spec-'));
const specFile = (name: string, value: unknown) => {
  const path = join(specDir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const spec = {
  name: 'clip-vit-b32-image',
  version: 'openai-1',
  memoryMb: 3008,
  preprocessing: {
    widthPx: 224,
    heightPx: 224,
    resize: 'cover',
    layout: 'NCHW',
    channelOrder: 'RGB',
    mean: [0.48, 0.46, 0.41],
    std: [0.27, 0.26, 0.28],
  },
};
const fromCommandLine = (context: Record<string, unknown>) => deployContext(new App({ context }));

describe('cdk deploy -c embeddingModel=s3://… -c embeddingModelSpec=FILE', () => {
  const viewer = fakeViewerBuild();
  afterAll(() => {
    viewer.remove();
    rmSync(specDir, { recursive: true, force: true });
  });
  const synthesize = (context: Record<string, unknown>) => {
    const template = Template.fromStack(buildStack(viewer.path, fromCommandLine(context)).stack);
    const resources = template.toJSON().Resources as Record<string, CfnResource>;
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const byDescription = (text: string) => functions.find(([, r]) => String(r.Properties?.Description).includes(text))!;
    const layers = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::LayerVersion');
    return { resources, functions, byDescription, layers };
  };
  const embedding = ['an upload into an item', 'a video upload', 'Applies index updates', 'HTTP API'];
  const envOf = (fn: [string, CfnResource]) => (fn[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
  const layerIds = (fn: [string, CfnResource]) => ((fn[1].Properties?.Layers as { Ref: string }[] | undefined) ?? []).map((l) => l.Ref);
  const policiesOf = (resources: Record<string, CfnResource>, fn: [string, CfnResource]) => {
    const role = (fn[1].Properties?.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles as { Ref: string }[]).some((ref) => ref.Ref === role))
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
  };

  it('gives every embedding function and the API the model, its declaration, the ONNX layer, read access to that object only, and the memory', () => {
    const { resources, byDescription, layers } = synthesize({
      embeddingModel: 's3://example-models/encoders/clip.onnx',
      embeddingModelSpec: specFile('clip.json', spec),
    });
    const onnxLayer = layers.find(([, r]) => String(r.Properties?.Description).startsWith('ONNX Runtime'));
    expect(onnxLayer).toBeDefined();
    const ownMemory = [
      pipelineConfig.ingest.memoryMb,
      pipelineConfig.video.memoryMb,
      pipelineConfig.indexer.memoryMb,
      pipelineConfig.api.memoryMb,
    ];
    for (const [index, text] of embedding.entries()) {
      const fn = byDescription(text);
      expect(envOf(fn)[lambdaEnvNames.embeddingModel]).toBe('s3://example-models/encoders/clip.onnx');
      const { memoryMb: _deployOnly, ...runtimeSpec } = spec;
      expect(JSON.parse(envOf(fn)[lambdaEnvNames.embeddingModelSpec] as string)).toEqual(runtimeSpec);
      expect(layerIds(fn)).toContain(onnxLayer![0]);
      expect(fn[1].Properties?.MemorySize).toBe(Math.max(ownMemory[index]!, 3008));
      // Statements may be merged with others of the same action (minimizePolicies): look at each resource.
      const modelGrants = policiesOf(resources, fn).flatMap((statement) =>
        [statement.Resource]
          .flat()
          .filter((resource) => JSON.stringify(resource).includes('example-models'))
          .map((resource) => ({ action: statement.Action, resource })),
      );
      expect(modelGrants).toEqual([
        {
          action: 's3:GetObject',
          resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::example-models/encoders/clip.onnx']] },
        },
      ]);
    }
    // The video function keeps its ffmpeg layer beside the runtime.
    expect(layerIds(byDescription('a video upload'))).toHaveLength(2);
    // The reconciliation sweep is told which model (to find its index and vectors), but never loads it:
    // no layer, no access to the model's object, its own memory.
    const sweep = byDescription('Re-announces');
    expect(envOf(sweep)[lambdaEnvNames.embeddingModel]).toBe('s3://example-models/encoders/clip.onnx');
    expect(layerIds(sweep)).toEqual([]);
    expect(JSON.stringify(policiesOf(resources, sweep))).not.toContain('example-models');
    expect(sweep[1].Properties?.MemorySize).toBe(pipelineConfig.reconcile.memoryMb);
    // Functions that do not embed or index are told nothing of the model.
    const signIn = byDescription('sign');
    if (signIn) expect(JSON.stringify(signIn[1].Properties)).not.toContain('EMBEDDING_MODEL');
  });

  it('without a spec file declares the model with pipelineConfig.embedding.onnx and its memory', () => {
    const { byDescription } = synthesize({ embeddingModel: 's3://example-models/clip.onnx' });
    const { name, version, preprocessing, memoryMb } = pipelineConfig.embedding.onnx;
    const ingest = byDescription('an upload into an item');
    expect(JSON.parse(envOf(ingest)[lambdaEnvNames.embeddingModelSpec] as string)).toEqual({ name, version, preprocessing });
    expect(byDescription('HTTP API')[1].Properties?.MemorySize).toBe(Math.max(pipelineConfig.api.memoryMb, memoryMb));
  });

  it('without a model: no ONNX layer, no model variables, the memory of the stage table', () => {
    const { functions, layers, byDescription } = synthesize({});
    expect(layers.filter(([, r]) => String(r.Properties?.Description).includes('ONNX'))).toEqual([]);
    for (const fn of functions) expect(JSON.stringify(fn[1].Properties)).not.toContain('EMBEDDING_MODEL');
    expect(byDescription('an upload into an item')[1].Properties?.MemorySize).toBe(pipelineConfig.ingest.memoryMb);
    expect(layerIds(byDescription('an upload into an item'))).toEqual([]);
  });

  it.each([
    [
      { embeddingModel: './clip.onnx' },
      /embeddingModel must be an s3:\/\/bucket\/key URI of the \.onnx file, got '\.\/clip\.onnx' \(copy the file up first/,
    ],
    [{ embeddingModel: 's3://example-models/' }, /must be an s3:\/\/bucket\/key URI/],
    [{ embeddingModel: 's3://Example_Models/clip.onnx' }, /'Example_Models' is not an S3 bucket name/],
    [{ embeddingModel: 's3://example-models/models/*' }, /must name one object/],
    [{ embeddingModelSpec: 'spec.json' }, /embeddingModelSpec needs embeddingModel/],
    [
      { embeddingModel: 's3://m-1/a.onnx', embeddingModelSpec: '/nonexistent/spec.json' },
      /embeddingModelSpec: cannot read '\/nonexistent\/spec.json'/,
    ],
  ])('refuses %j with a sentence', (context, message) => {
    expect(() => fromCommandLine(context)).toThrow(InvalidDeployContextError);
    expect(() => fromCommandLine(context)).toThrow(message);
  });

  it.each([
    ['no version', { ...spec, version: undefined }, /version must be a non-empty string, got nothing/],
    ['a misspelt field', { ...spec, preprocesing: spec.preprocessing }, /'preprocesing' must be one of name, version, preprocessing/],
    ['no preprocessing', { name: 'a', version: '1' }, /preprocessing must be an object with widthPx/],
    [
      'two means',
      { ...spec, preprocessing: { ...spec.preprocessing, mean: [0.5, 0.5] } },
      /preprocessing\.mean must be three finite numbers/,
    ],
    [
      'a zero std',
      { ...spec, preprocessing: { ...spec.preprocessing, std: [0.2, 0, 0.2] } },
      /preprocessing\.std must be three positive numbers/,
    ],
    [
      'a lowercase layout',
      { ...spec, preprocessing: { ...spec.preprocessing, layout: 'nchw' } },
      /preprocessing\.layout must be 'NCHW' or 'NHWC', got "nchw"/,
    ],
    ['too much memory', { ...spec, memoryMb: 20_000 }, /memoryMb must be a whole number of MB in 128\.\.10240/],
    ['not JSON', '{ name: clip }', /is not JSON/],
  ])('refuses a spec with %s, naming the field', (_what, value, message) => {
    const context = { embeddingModel: 's3://example-models/clip.onnx', embeddingModelSpec: specFile('bad.json', value) };
    expect(() => fromCommandLine(context)).toThrow(InvalidDeployContextError);
    expect(() => fromCommandLine(context)).toThrow(message);
  });
});
