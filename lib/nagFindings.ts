import { Stack, Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
// cdk-nag names a wildcard resource finding by this flattening; using it keeps our names in step with its.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * Acknowledging cdk-nag (AwsSolutions) findings, each with the reason it is
 * acceptable: tests/stack/cdkNag.test.ts fails on any finding that is neither
 * fixed nor acknowledged next to the construct it is about.
 */
export function acknowledgeFindings(scope: IConstruct, reason: string, ...findingIds: string[]): void {
  Validations.of(scope).acknowledge(...findingIds.map((id) => ({ id, reason })));
}

/** The id of AwsSolutions-IAM5 for one wildcard resource ARN, as cdk-nag reports it. */
export function wildcardResourceFinding(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`;
}

/** AWSLambdaBasicExecutionRole: what CDK gives a function it makes a role for. */
export const basicExecutionRoleFinding =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** AwsSolutions-L1 (not the newest Lambda runtime). */
export const runtimeFinding = 'AwsSolutions-L1';

interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}

/**
 * Every AwsSolutions-IAM5 finding of a role CDK makes and grants for itself
 * (a BucketDeployment's or a provider's), read from its policy as it stands:
 * those grants are CDK's, not ours to narrow, so each is acknowledged with `reason`.
 */
export function wildcardFindingsOf(role: IRole): string[] {
  const policy = role.node.tryFindChild('DefaultPolicy') as { document?: { toJSON(): unknown } } | undefined;
  const document = Stack.of(role).resolve(policy?.document?.toJSON()) as { Statement?: PolicyStatementJson[] } | undefined;
  const findings = new Set<string>();
  for (const statement of document?.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of [statement.Action].flat()) if (action.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${action}]`);
    for (const resource of [statement.Resource].flat()) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*')) findings.add(`AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  return [...findings];
}

/**
 * CDK's one function per stack that writes bucket notification settings (made
 * by addEventNotification, with the basic execution policy CDK gives it).
 */
export function acknowledgeBucketNotificationsHandler(scope: IConstruct): void {
  const handler = Stack.of(scope).node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) throw new Error('no bucket notifications handler in this stack: call this after addEventNotification');
  acknowledgeFindings(
    handler,
    "CDK's bucket notifications handler runs only during deploys to set the media bucket's notification configuration; CDK creates its role with the basic execution policy and does not take one of ours.",
    basicExecutionRoleFinding,
  );
}
