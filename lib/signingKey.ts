import { CustomResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { KeyGroup, PublicKey } from 'aws-cdk-lib/aws-cloudfront';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret, type CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFindings, basicExecutionRoleFinding, wildcardFindingsOf } from './nagFindings.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';

export interface SigningKeyProps {
  /**
   * Which key this is (`cdk deploy -c signingKeyGeneration=N`). A new number
   * makes a new secret, key pair and CloudFront public key, and the key group
   * then names only the new one: every signed cookie and share link stops working.
   */
  generation: number;
  logRetention: RetentionDays;
}

/** A 2048-bit key is made in well under a second; the margin is for a cold start on a small function. */
const keyFunctionSize = { memoryMb: 256, timeoutSeconds: 30 };

/**
 * The CloudFront signing key: a secret whose only value is the private key,
 * written by a custom resource that makes the pair in Lambda (so the private
 * key is never in the template, a bundle or the deploying machine), a
 * CloudFront public key made from the half it returns, and the key group that
 * items/* and /api/* trust.
 *
 * Everything that changes with the key lives under one `Generation<N>` scope:
 * CloudFront never lets a public key's value change in place, and a deploy
 * that fails after a rotation rolls back to the previous generation's secret
 * and public key untouched, still a matching pair.
 */
export class SigningKey extends Construct {
  readonly secret: Secret;
  readonly publicKey: PublicKey;
  readonly keyGroup: KeyGroup;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const generation = new Construct(this, `Generation${props.generation}`);

    this.secret = new Secret(generation, 'Secret', {
      description: `CloudFront signing key (private key PEM), generation ${props.generation}; written only by its custom resource`,
      // Made again by a deploy; the old generation's key must not outlive the stack or its rotation.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No generated placeholder: the only value the secret ever holds is the key the custom resource writes.
    (this.secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    acknowledgeFindings(
      this.secret,
      'Rotating this key means a new CloudFront public key in the same step, which only a deploy can make: `cdk deploy -c signingKeyGeneration=<N+1>` is the rotation, ' +
        'and it revokes every signed cookie and share link at once. A Secrets Manager rotation function could change the private key only, and break every signature.',
      'AwsSolutions-SMG4',
    );

    const keyFunction = new PipelineFunction(this, 'KeyFunction', {
      entry: repoPaths.handler('signingKey'),
      description: 'Makes the CloudFront signing key pair: the private key into its secret, the public key back to CloudFormation',
      memoryMb: keyFunctionSize.memoryMb,
      timeoutSeconds: keyFunctionSize.timeoutSeconds,
      environment: {},
      logRetention: props.logRetention,
    });
    Grant.addToPrincipal({ grantee: keyFunction, actions: ['secretsmanager:PutSecretValue'], resourceArns: [this.secret.secretArn] });

    const provider = new Provider(this, 'Provider', {
      onEventHandler: keyFunction,
      logGroup: new LogGroup(this, 'ProviderLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    acknowledgeCustomResourceFramework(provider);

    const keyPair = new CustomResource(generation, 'KeyPair', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::CloudFrontSigningKey',
      properties: { SecretArn: this.secret.secretArn },
    });
    this.publicKey = new PublicKey(generation, 'PublicKey', {
      // CloudFront key and key group names are per account, not per region.
      publicKeyName: `${stack.stackName}-${stack.region}-signing-key-${props.generation}`,
      encodedKey: keyPair.getAttString('PublicKeyPem'),
      comment: `Signed cookies and URLs of ${stack.stackName}, generation ${props.generation}`,
    });
    this.keyGroup = new KeyGroup(this, 'KeyGroup', {
      keyGroupName: `${stack.stackName}-${stack.region}-signing-keys`,
      items: [this.publicKey],
      comment: `The one public key ${stack.stackName} trusts on items/* and /api/*`,
    });
  }

  /** GetSecretValue on this key's secret and nothing more (no DescribeSecret, no other secret). */
  grantReadPrivateKey(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['secretsmanager:GetSecretValue'], resourceArns: [this.secret.secretArn] });
  }
}

/**
 * CDK's provider framework function relays CloudFormation's events to the key
 * function and nothing else; its runtime is CDK's newest, which cdk-nag accepts.
 */
function acknowledgeCustomResourceFramework(provider: Provider): void {
  const framework = provider.node.tryFindChild('framework-onEvent');
  const role = framework instanceof LambdaFunction ? framework.role : undefined;
  if (!role) throw new Error('the custom resource provider has no framework-onEvent function with a role');
  acknowledgeFindings(
    role,
    "CDK's custom resource provider framework creates and grants this role: the basic execution policy for its logs, and invoking the key function " +
      '(its ARN and its versions, which is what the wildcard is); it runs only during deploys.',
    basicExecutionRoleFinding,
    ...wildcardFindingsOf(role),
  );
}
