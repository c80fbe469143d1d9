import { App } from 'aws-cdk-lib';
import { pipelineConfig } from '../functions/config/index.js';
import { XrMediaPipelineStack } from '../lib/xrMediaPipelineStack.js';

const app = new App();
// `-c viewerAssetPath=DIR` deploys a viewer built elsewhere; the stack defaults to viewer/dist.
const viewerAssetPath: unknown = app.node.tryGetContext('viewerAssetPath');
new XrMediaPipelineStack(app, pipelineConfig.stackName, {
  ...(typeof viewerAssetPath === 'string' ? { viewerAssetPath } : {}),
});
