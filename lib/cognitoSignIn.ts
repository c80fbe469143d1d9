import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolUser,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { pipelineConfig } from '../functions/config/index.js';
import { acknowledgeFindings } from './nagFindings.js';
import type { OpenIdClient, OpenIdIssuer, SiteRedirects } from './openIdIssuer.js';

export interface CognitoSignInProps {
  /** `-c ownerEmail=…`: a user made for the owner, whom Cognito e-mails a temporary password. */
  ownerEmail?: string;
}

/**
 * The hosted sign-in page's domain prefix, unique to this stack: `xr-media-`
 * and the GUID at the end of its stack id (lowercase hex and hyphens, so it can
 * never contain the words Cognito reserves: aws, amazon, cognito).
 */
function hostedUiDomainPrefix(scope: Construct): string {
  return `xr-media-${Fn.select(2, Fn.split('/', Stack.of(scope).stackId))}`;
}

/**
 * The stack's own sign-in: a Cognito user pool nobody can sign up to (the
 * owner adds every user), signing in by e-mail on Cognito's hosted page, and
 * the one app client the auth function is: public (PKCE, no secret), the
 * authorization code flow only, Cognito its only identity provider.
 */
export class CognitoSignIn extends Construct implements OpenIdIssuer {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: CognitoSignInProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      // Accounts of this gallery only: they mean nothing once the stack is gone (the media bucket is what is kept).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeFindings(
      this.userPool,
      'MFA is optional (TOTP enabled, no SMS): every account is made by the owner, with a 12-character password of four kinds, and required MFA would make each person ' +
        'the owner invites set up an authenticator app before a first look at the gallery. A deployment that wants it for everyone sets mfa: Mfa.REQUIRED here.',
      'AwsSolutions-COG2',
    );
    acknowledgeFindings(
      this.userPool,
      'The Plus plan adds threat protection (compromised-credential checks, adaptive authentication) at a charge for every monthly active user, where Essentials is free for ' +
        'the first 10,000. The pool holds a handful of accounts the owner made, with no self sign-up; a deployment that wants threat protection sets featurePlan: PLUS here.',
      'AwsSolutions-COG8',
    );

    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: hostedUiDomainPrefix(this) } });
    this.issuerUrl = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;

    if (props.ownerEmail) {
      const owner = new CfnUserPoolUser(this, 'Owner', {
        userPoolId: this.userPool.userPoolId,
        username: props.ownerEmail,
        userAttributes: [
          { name: 'email', value: props.ownerEmail },
          { name: 'email_verified', value: 'true' },
        ],
        desiredDeliveryMediums: ['EMAIL'],
      });
      // A later deploy without -c ownerEmail must not delete the owner's account (and its password and MFA) with it.
      owner.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  }

  clientFor(redirects: SiteRedirects): OpenIdClient {
    const client = this.userPool.addClient('AuthFunctionClient', {
      generateSecret: false,
      // Refresh only: no password sign-in through the API, only the hosted page's code flow.
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: pipelineConfig.access.scopes.map((scope) => OAuthScope.custom(scope)),
        callbackUrls: [redirects.callbackUrl],
        logoutUrls: [redirects.signedOutUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
    });
    return {
      clientId: client.userPoolClientId,
      providerLogoutUrl: `${this.domain.baseUrl()}/logout?client_id=${client.userPoolClientId}&logout_uri=${redirects.signedOutUrlEncoded}`,
    };
  }
}
