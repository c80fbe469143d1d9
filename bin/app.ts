import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pipelineConfig } from '../functions/config/index.js';
import { deployContext } from '../lib/deployContext.js';
import { XrMediaPipelineStack } from '../lib/xrMediaPipelineStack.js';

const app = new App();
// `-c ownerEmail=…`, `-c signingKeyGeneration=N`, `-c oidcIssuer=… -c oidcClientId=… -c allowedEmails=…`,
// `-c viewerAssetPath=DIR`, `-c apiReservedConcurrency=N` (lib/deployContext.ts).
new XrMediaPipelineStack(app, pipelineConfig.stackName, deployContext(app));
// `cdk synth` and `cdk deploy` refuse a stack with a cdk-nag finding that is neither fixed nor acknowledged (docs/reliability.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
