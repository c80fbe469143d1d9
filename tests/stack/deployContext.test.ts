import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { deployContext, InvalidDeployContextError } from '../../lib/deployContext.js';
import { buildStack, fakeViewerBuild } from '../helpers/stackUnderTest.js';

const fromCommandLine = (context: Record<string, unknown>) => deployContext(new App({ context }));

describe('cdk deploy -c …', () => {
  const viewerDist = fakeViewerBuild();
  afterAll(() => viewerDist.remove());

  it('reads -c apiReservedConcurrency=20 (a string on the command line) into a reservation on the API function only', () => {
    const props = fromCommandLine({ apiReservedConcurrency: '20' });
    expect(props).toEqual({ apiReservedConcurrency: 20 });
    const template = Template.fromStack(buildStack(viewerDist.path, props).stack);
    const reserved = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (resource) => resource.Properties?.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved.map((resource) => [resource.Properties.Description, resource.Properties.ReservedConcurrentExecutions])).toEqual([
      [expect.stringContaining('HTTP API'), 20],
    ]);
  });

  it('takes 0 as no reservation, and passes a viewer path through', () => {
    expect(fromCommandLine({ apiReservedConcurrency: 0, viewerAssetPath: '/srv/viewer' })).toEqual({
      apiReservedConcurrency: 0,
      viewerAssetPath: '/srv/viewer',
    });
    expect(fromCommandLine({})).toEqual({});
  });

  it.each(['-1', '2.5', 'twenty', ''])('refuses apiReservedConcurrency=%j with a sentence', (value) => {
    expect(() => fromCommandLine({ apiReservedConcurrency: value })).toThrow(InvalidDeployContextError);
    expect(() => fromCommandLine({ apiReservedConcurrency: value })).toThrow(/apiReservedConcurrency must be a whole number/);
  });
});
