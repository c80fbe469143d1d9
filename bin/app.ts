import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pipelineConfig } from '../functions/config/index.js';
import { XrMediaPipelineStack } from '../lib/xrMediaPipelineStack.js';

const app = new App();
// `-c viewerAssetPath=DIR` deploys a viewer built elsewhere; the stack defaults to viewer/dist.
const viewerAssetPath: unknown = app.node.tryGetContext('viewerAssetPath');
new XrMediaPipelineStack(app, pipelineConfig.stackName, {
  ...(typeof viewerAssetPath === 'string' ? { viewerAssetPath } : {}),
});
// `cdk synth` and `cdk deploy` refuse a stack with a cdk-nag finding that is neither fixed nor acknowledged (docs/reliability.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
