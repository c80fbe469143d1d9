import type { App } from 'aws-cdk-lib';
import type { XrMediaPipelineStackProps } from './xrMediaPipelineStack.js';

/** A `-c name=value` the stack cannot use: cdk synth/deploy stops with this sentence. */
export class InvalidDeployContextError extends Error {
  override readonly name = 'InvalidDeployContextError';
}

/**
 * What `cdk deploy -c …` may set on the stack without editing code:
 * `viewerAssetPath=DIR` (a viewer built elsewhere) and
 * `apiReservedConcurrency=N` (a ceiling on the API function, for accounts
 * whose concurrency quota leaves room for it; 0 reserves none).
 */
export function deployContext(app: App): XrMediaPipelineStackProps {
  const viewerAssetPath: unknown = app.node.tryGetContext('viewerAssetPath');
  const reserved: unknown = app.node.tryGetContext('apiReservedConcurrency');
  const props: XrMediaPipelineStackProps = {};
  if (viewerAssetPath !== undefined) {
    if (typeof viewerAssetPath !== 'string' || viewerAssetPath === '')
      throw new InvalidDeployContextError('viewerAssetPath must be a directory path');
    props.viewerAssetPath = viewerAssetPath;
  }
  if (reserved !== undefined) {
    // The command line gives strings; Number('') would be 0.
    const count =
      typeof reserved === 'number' ? reserved : typeof reserved === 'string' && reserved.trim() !== '' ? Number(reserved) : Number.NaN;
    if (!Number.isInteger(count) || count < 0)
      throw new InvalidDeployContextError(
        `apiReservedConcurrency must be a whole number of executions (0 for none), got '${String(reserved)}'`,
      );
    props.apiReservedConcurrency = count;
  }
  return props;
}
