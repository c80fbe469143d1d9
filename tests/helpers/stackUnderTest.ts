import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { pipelineConfig } from '../../functions/config/index.js';
import { repoPaths } from '../../lib/repoPaths.js';
import { XrMediaPipelineStack, type XrMediaPipelineStackProps } from '../../lib/xrMediaPipelineStack.js';

/** The feature flags `cdk synth` runs with, so the tests see the template a deploy would. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repoPaths.root, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** The real stack in its own app, minus esbuild: an empty bundling-stacks list makes NodejsFunction skip bundling. */
export function buildStack(
  viewerAssetPath: string,
  props: Omit<XrMediaPipelineStackProps, 'viewerAssetPath'> = {},
): { app: App; stack: XrMediaPipelineStack } {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new XrMediaPipelineStack(app, pipelineConfig.stackName, { ...props, viewerAssetPath });
  return { app, stack };
}

/** A stand-in for `npm run build:viewer`'s output (an entry page and a hashed asset); remove() deletes it. */
export function fakeViewerBuild(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'xr-viewer-dist-'));
  writeFileSync(join(path, 'index.html'), '<!doctype html><title>test viewer</title>');
  mkdirSync(join(path, 'assets'));
  writeFileSync(join(path, 'assets', 'main-0123abcd.js'), 'export {};\n');
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A resource as the synthesized template has it. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}

export interface SynthesizedStack {
  template: Template;
  /** By logical id. */
  resources: Record<string, CfnResource>;
  /** [logical id, resource] of every resource of one type. */
  ofType(type: string): [string, CfnResource][];
}

/** The real stack's template, synthesized over a stand-in viewer build (removed again once synthesized). */
export function synthesizeStack(): SynthesizedStack {
  const viewer = fakeViewerBuild();
  try {
    const template = Template.fromStack(buildStack(viewer.path).stack);
    const resources = template.toJSON().Resources as Record<string, CfnResource>;
    return { template, resources, ofType: (type) => Object.entries(resources).filter(([, resource]) => resource.Type === type) };
  } finally {
    viewer.remove();
  }
}
