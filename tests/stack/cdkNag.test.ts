import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack, fakeViewerBuild } from '../helpers/stackUnderTest.js';

/** Every finding cdk-nag's AwsSolutions pack reports on a construct tree, errors and warnings alike, one line each. */
function awsSolutionsFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(scope).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

interface Acknowledgement {
  id: string;
  reason: string;
}

/** Validations.acknowledge() records { 'Annotation::<rule id>': reason } on the construct. */
function acknowledgementsIn(scope: IConstruct): { path: string; acknowledgement: Acknowledgement }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, acknowledgement: { id: id.replace(/^Annotation::/, ''), reason } })),
  );
}

describe('cdk-nag AwsSolutions on the whole stack', () => {
  const viewer = fakeViewerBuild();
  let app: App;

  beforeAll(() => {
    ({ app } = buildStack(viewer.path));
    // Synthesis runs the aspects and lazy values that finish the tree, as `cdk synth` would.
    app.synth();
  });
  afterAll(() => viewer.remove());

  it('reports no error and no warning that is neither fixed nor acknowledged next to its construct', () => {
    expect(awsSolutionsFindings(app)).toEqual([]);
  });

  it('acknowledges only AwsSolutions rules, each with a reason a reviewer can check', () => {
    const acknowledgements = acknowledgementsIn(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, acknowledgement } of acknowledgements) {
      expect(acknowledgement.id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(acknowledgement.reason.length, `${path} ${acknowledgement.id}`).toBeGreaterThan(80);
    }
  });

  it('never acknowledges a wildcard action on a role of ours, only prefix-scoped resources', () => {
    // CDK's own deploy-time functions (BucketDeployment, bucket notifications, the custom resource provider framework) bring their own roles.
    const ours = acknowledgementsIn(app).filter(
      ({ path }) => !/Custom::CDKBucketDeployment|BucketNotificationsHandler|\/Provider\/framework-onEvent\//.test(path),
    );
    const wildcards = ours.filter(({ acknowledgement }) => acknowledgement.id.startsWith('AwsSolutions-IAM5'));
    expect(wildcards.length).toBeGreaterThan(0);
    for (const { path, acknowledgement } of wildcards)
      expect(acknowledgement.id, path).toMatch(/^AwsSolutions-IAM5\[Resource::<MediaBucket[0-9A-F]+\.Arn>\/[a-z]+\/\*/);
    expect(ours.filter(({ acknowledgement }) => acknowledgement.id.startsWith('AwsSolutions-IAM4'))).toEqual([]);
  });

  it('does find what it looks for: a bare bucket is reported', () => {
    const bare = new Stack(new App(), 'Bare');
    new Bucket(bare, 'Bucket');
    expect(awsSolutionsFindings(bare).some((finding) => finding.startsWith('AwsSolutions-S1'))).toBe(true);
  });
});
