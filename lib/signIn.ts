import { Stack } from 'aws-cdk-lib';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { lambdaEnvNames, pipelineConfig, type AccessSettings } from '../functions/config/index.js';
import { authRoutes } from '../functions/stages/access/index.js';
import { CognitoSignIn } from './cognitoSignIn.js';
import { ExternalOpenIdIssuer, type OpenIdIssuer } from './openIdIssuer.js';
import { PipelineFunction } from './pipelineFunction.js';
import { repoPaths } from './repoPaths.js';
import { SigningKey } from './signingKey.js';

/**
 * Who may sign in (lib/deployContext.ts reads it from `cdk deploy -c …`): the
 * stack's own Cognito user pool, every user of which is let in unless
 * allowedEmails narrows it, or another OpenID provider, of which only
 * allowedEmails are.
 */
export type SignInChoice =
  | { provider: 'cognito'; ownerEmail?: string; allowedEmails?: readonly string[] }
  | {
      provider: 'oidc';
      issuer: string;
      clientId: string;
      allowedEmails: readonly string[];
      /** A Secrets Manager secret the deployer made, holding the client secret of a provider that requires one. */
      clientSecretName?: string;
    };

export interface SignInProps {
  choice: SignInChoice;
  /** Bump to replace the CloudFront signing key (lib/signingKey.ts): every signed cookie and share link stops working. */
  signingKeyGeneration: number;
  logRetention: RetentionDays;
}

/**
 * Sign-in without Lambda@Edge: the auth function signs people in with the
 * OpenID provider and hands out CloudFront signed cookies, made with the
 * signing key whose public half CloudFront checks on items/* and /api/*.
 *
 * Built in two steps because the provider's redirect URLs and the function's
 * settings name the distribution, which routes to the function: `serveAt`
 * adds them once the distribution exists. The settings are an SSM parameter
 * with a fixed name, so that neither the function's environment nor its role
 * refers to the parameter resource: either would be a dependency cycle.
 */
export class SignIn extends Construct {
  readonly signingKey: SigningKey;
  readonly issuer: OpenIdIssuer;
  /** Only with the stack's own Cognito pool. */
  readonly userPool?: UserPool;
  readonly authFunction: PipelineFunction;
  readonly authFunctionUrl: FunctionUrl;
  readonly settingsParameterName: string;

  constructor(scope: Construct, id: string, props: SignInProps) {
    super(scope, id);
    const { choice } = props;
    const { access } = pipelineConfig;
    const stack = Stack.of(this);

    this.signingKey = new SigningKey(this, 'SigningKey', { generation: props.signingKeyGeneration, logRetention: props.logRetention });
    if (choice.provider === 'cognito') {
      const cognito = new CognitoSignIn(this, 'Cognito', choice.ownerEmail ? { ownerEmail: choice.ownerEmail } : {});
      this.issuer = cognito;
      this.userPool = cognito.userPool;
    } else {
      this.issuer = new ExternalOpenIdIssuer(choice.issuer, choice.clientId);
    }

    this.settingsParameterName = `/${stack.stackName}/sign-in/settings`;
    this.authFunction = new PipelineFunction(this, 'AuthFunction', {
      entry: repoPaths.handler('auth'),
      description: 'Sign-in with the OpenID provider, signed cookies and share links, behind CloudFront at /auth/',
      memoryMb: access.authFunction.memoryMb,
      timeoutSeconds: access.authFunction.timeoutSeconds,
      environment: {
        [lambdaEnvNames.accessIssuer]: this.issuer.issuerUrl,
        [lambdaEnvNames.accessSettingsParameter]: this.settingsParameterName,
        [lambdaEnvNames.accessSigningKeySecret]: this.signingKey.secret.secretArn,
        [lambdaEnvNames.accessKeyPairId]: this.signingKey.publicKey.publicKeyId,
        [lambdaEnvNames.accessAllowedEmails]: (choice.allowedEmails ?? []).join(','),
        ...(choice.provider === 'oidc' && choice.clientSecretName ? { [lambdaEnvNames.accessClientSecret]: choice.clientSecretName } : {}),
      },
      logRetention: props.logRetention,
    });
    this.signingKey.grantReadPrivateKey(this.authFunction);
    if (choice.provider === 'oidc' && choice.clientSecretName)
      Secret.fromSecretNameV2(this, 'ClientSecret', choice.clientSecretName).grantRead(this.authFunction);
    Grant.addToPrincipal({
      grantee: this.authFunction,
      actions: ['ssm:GetParameter'],
      resourceArns: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: this.settingsParameterName.slice(1) })],
    });
    this.authFunctionUrl = this.authFunction.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
  }

  /** The provider's app client and the auth function's settings, for the site at https://<siteDomainName>. */
  serveAt(siteDomainName: string): void {
    const siteOrigin = `https://${siteDomainName}`;
    const client = this.issuer.clientFor({
      callbackUrl: `${siteOrigin}${authRoutes.callback}`,
      signedOutUrl: `${siteOrigin}${authRoutes.signedOut}`,
      // A host name needs no escaping; the scheme and path around it do.
      signedOutUrlEncoded: `${encodeURIComponent('https://')}${siteDomainName}${encodeURIComponent(authRoutes.signedOut)}`,
    });
    const settings: AccessSettings = {
      clientId: client.clientId,
      siteOrigin,
      ...(client.providerLogoutUrl ? { providerLogoutUrl: client.providerLogoutUrl } : {}),
    };
    new StringParameter(this, 'Settings', {
      parameterName: this.settingsParameterName,
      description: 'The auth function’s settings (AccessSettings JSON): its client id, the site origin, the provider’s sign-out page',
      stringValue: Stack.of(this).toJsonString(settings),
    });
  }
}
