import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaEnvNames, pipelineConfig, type AccessSettings } from '../../functions/config/index.js';
import { authRoutes } from '../../functions/stages/access/index.js';
import { deployContext, InvalidDeployContextError } from '../../lib/deployContext.js';
import { stackOutputKeys } from '../../lib/stackOutputs.js';
import type { XrMediaPipelineStackProps } from '../../lib/xrMediaPipelineStack.js';
import { buildStack, fakeViewerBuild, type CfnResource } from '../helpers/stackUnderTest.js';

/**
 * Who may see what, in the synthesized stack: items/* and the API only for
 * requests signed by the stack's key, the viewer bundle and the sign-in open;
 * the private key only in its secret, readable by the auth function alone.
 */
const { prefixes, api, access } = pipelineConfig;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}
interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  TrustedKeyGroups?: unknown[];
  CachePolicyId?: string;
  OriginRequestPolicyId?: string;
  AllowedMethods?: string[];
}
interface DistributionConfig {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: { Id: string; DomainName: unknown }[];
}
type GetAtt = { 'Fn::GetAtt': [string, string] };

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const ref = (logicalId: string) => ({ Ref: logicalId });

/** One synthesized stack and the lookups the cases below share. */
class SynthesizedSignIn {
  readonly template: Template;
  readonly resources: Record<string, CfnResource>;
  readonly outputs: Record<string, { Value: unknown }>;

  constructor(viewerPath: string, props: Omit<XrMediaPipelineStackProps, 'viewerAssetPath'>) {
    this.template = Template.fromStack(buildStack(viewerPath, props).stack);
    const json = this.template.toJSON() as { Resources: Record<string, CfnResource>; Outputs: Record<string, { Value: unknown }> };
    this.resources = json.Resources;
    this.outputs = json.Outputs;
  }

  ofType(type: string): [string, CfnResource][] {
    return Object.entries(this.resources).filter(([, resource]) => resource.Type === type);
  }

  only(type: string): [string, CfnResource] {
    const found = this.ofType(type);
    expect(found, type).toHaveLength(1);
    return found[0]!;
  }

  /** The function whose environment names the auth settings parameter. */
  authFunctionId(): string {
    const found = this.ofType('AWS::Lambda::Function').filter(([, fn]) =>
      JSON.stringify(fn.Properties?.Environment ?? {}).includes(lambdaEnvNames.accessSettingsParameter),
    );
    expect(found).toHaveLength(1);
    return found[0]![0];
  }

  /** The function the signing-key custom resource's provider relays to. */
  keyFunctionId(): string {
    const [, keyPair] = this.only('Custom::CloudFrontSigningKey');
    const frameworkId = (keyPair.Properties?.ServiceToken as GetAtt)['Fn::GetAtt'][0];
    const variables = (this.resources[frameworkId]!.Properties?.Environment as { Variables: Record<string, GetAtt> }).Variables;
    return variables.USER_ON_EVENT_FUNCTION_ARN!['Fn::GetAtt'][0];
  }

  environmentOf(functionId: string): Record<string, unknown> {
    return (this.resources[functionId]!.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
  }

  roleOf(functionId: string): string {
    return (this.resources[functionId]!.Properties?.Role as GetAtt)['Fn::GetAtt'][0];
  }

  /** Every allowed statement of every policy, with the roles it is attached to. */
  allowedStatements(): { roles: string[]; statement: Statement }[] {
    return this.ofType('AWS::IAM::Policy').flatMap(([, policy]) => {
      const roles = asArray(policy.Properties?.Roles as { Ref: string }[]).map((role) => role.Ref);
      return (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.filter(
        (statement) => statement.Effect === 'Allow',
      ).map((statement) => ({ roles, statement }));
    });
  }

  statementsOf(roleId: string): Statement[] {
    return this.allowedStatements()
      .filter(({ roles }) => roles.includes(roleId))
      .map(({ statement }) => statement);
  }

  distributionConfig(): DistributionConfig {
    return this.only('AWS::CloudFront::Distribution')[1].Properties?.DistributionConfig as DistributionConfig;
  }

  behaviorFor(pathPattern: string): Behavior {
    const matches = this.distributionConfig().CacheBehaviors.filter((behavior) => behavior.PathPattern === pathPattern);
    expect(matches, pathPattern).toHaveLength(1);
    return matches[0]!;
  }

  /** The settings parameter's value, with its tokens left as they are in the template. */
  settingsParameter(): { name: string; value: unknown } {
    const [, parameter] = this.only('AWS::SSM::Parameter');
    return { name: parameter.Properties?.Name as string, value: parameter.Properties?.Value };
  }
}

/** The few intrinsics the stack's derived names use, evaluated for given references (as CloudFormation would). */
function evaluate(value: unknown, refs: Record<string, string>): unknown {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item) => evaluate(item, refs));
  const intrinsic = value as Record<string, unknown>;
  if ('Ref' in intrinsic) {
    const resolved = refs[intrinsic.Ref as string];
    if (resolved === undefined) throw new Error(`no value for Ref ${String(intrinsic.Ref)}`);
    return resolved;
  }
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => evaluate(part, refs)).join(separator);
  }
  if ('Fn::Split' in intrinsic) {
    const [separator, source] = intrinsic['Fn::Split'] as [string, unknown];
    return String(evaluate(source, refs)).split(separator);
  }
  if ('Fn::Select' in intrinsic) {
    const [index, list] = intrinsic['Fn::Select'] as [number, unknown];
    return (evaluate(list, refs) as unknown[])[index];
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

const fromCommandLine = (context: Record<string, unknown>) => deployContext(new App({ context }));

describe('sign-in in the stack', () => {
  const viewer = fakeViewerBuild();
  let stack: SynthesizedSignIn;
  let authFunctionId: string;
  let keyFunctionId: string;
  let secretId: string;

  beforeAll(() => {
    stack = new SynthesizedSignIn(viewer.path, {});
    authFunctionId = stack.authFunctionId();
    keyFunctionId = stack.keyFunctionId();
    [secretId] = stack.only('AWS::SecretsManager::Secret');
  });
  afterAll(() => viewer.remove());

  describe('the distribution', () => {
    it(`serves ${prefixes.items}* and ${api.routePrefix}* only to requests signed by the key group, the viewer bundle to anyone`, () => {
      const [keyGroupId] = stack.only('AWS::CloudFront::KeyGroup');
      expect(stack.behaviorFor(`${prefixes.items}*`).TrustedKeyGroups).toEqual([ref(keyGroupId)]);
      expect(stack.behaviorFor(`${api.routePrefix}*`).TrustedKeyGroups).toEqual([ref(keyGroupId)]);
      expect(stack.distributionConfig().DefaultCacheBehavior.TrustedKeyGroups).toBeUndefined();
      expect(stack.behaviorFor(`${access.routePrefix}*`).TrustedKeyGroups).toBeUndefined();
      // Nothing else is routed: every behaviour is one of these four.
      expect(
        stack
          .distributionConfig()
          .CacheBehaviors.map((behavior) => behavior.PathPattern)
          .sort(),
      ).toEqual([`${prefixes.items}*`, `${api.routePrefix}*`, `${access.routePrefix}*`].sort());
    });

    it(`routes ${access.routePrefix}* to the auth function's IAM-authenticated URL, uncached, with cookies and query strings, all methods`, () => {
      const behavior = stack.behaviorFor(`${access.routePrefix}*`);
      const urls = stack
        .ofType('AWS::Lambda::Url')
        .filter(([, url]) => (url.Properties?.TargetFunctionArn as GetAtt)['Fn::GetAtt'][0] === authFunctionId);
      expect(urls).toHaveLength(1);
      const [urlId, url] = urls[0]!;
      expect(url.Properties?.AuthType).toBe('AWS_IAM');
      const origin = stack.distributionConfig().Origins.find((candidate) => candidate.Id === behavior.TargetOriginId);
      expect(JSON.stringify(origin?.DomainName)).toContain(JSON.stringify({ 'Fn::GetAtt': [urlId, 'FunctionUrl'] }));
      expect(behavior.CachePolicyId).toBe(CachePolicy.CACHING_DISABLED.cachePolicyId);
      expect(behavior.OriginRequestPolicyId).toBe(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId);
      expect([...(behavior.AllowedMethods ?? [])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    });
  });

  describe('the signing key', () => {
    it('never puts a private key in the template', () => {
      expect(JSON.stringify(stack.template.toJSON())).not.toContain('PRIVATE KEY');
      // The secret has no value of CloudFormation's making either: the custom resource writes the only one.
      expect(stack.resources[secretId]!.Properties).not.toHaveProperty('SecretString');
      expect(stack.resources[secretId]!.Properties).not.toHaveProperty('GenerateSecretString');
    });

    it('makes the CloudFront public key from the custom resource, and the key group trusts only it', () => {
      const [keyPairId, keyPair] = stack.only('Custom::CloudFrontSigningKey');
      expect(keyPair.Properties?.SecretArn).toEqual(ref(secretId));
      const [publicKeyId, publicKey] = stack.only('AWS::CloudFront::PublicKey');
      expect((publicKey.Properties?.PublicKeyConfig as { EncodedKey: unknown }).EncodedKey).toEqual({
        'Fn::GetAtt': [keyPairId, 'PublicKeyPem'],
      });
      const [, keyGroup] = stack.only('AWS::CloudFront::KeyGroup');
      expect((keyGroup.Properties?.KeyGroupConfig as { Items: unknown[] }).Items).toEqual([ref(publicKeyId)]);
      expect(stack.environmentOf(authFunctionId)[lambdaEnvNames.accessKeyPairId]).toEqual(ref(publicKeyId));
      expect(stack.outputs[stackOutputKeys.signingKeyPairId]!.Value).toEqual(ref(publicKeyId));
      expect(stack.outputs[stackOutputKeys.signingKeySecretArn]!.Value).toEqual(ref(secretId));
    });

    it('lets only the auth function read the secret and only the key function write it', () => {
      const secretStatements = stack
        .allowedStatements()
        .filter(({ statement }) => asArray(statement.Action).some((action) => action.startsWith('secretsmanager:')));
      const byAction = (action: string) =>
        secretStatements.filter(({ statement }) => asArray(statement.Action).includes(action)).flatMap(({ roles }) => roles);
      expect(byAction('secretsmanager:GetSecretValue')).toEqual([stack.roleOf(authFunctionId)]);
      expect(byAction('secretsmanager:PutSecretValue')).toEqual([stack.roleOf(keyFunctionId)]);
      for (const { statement } of secretStatements) {
        expect(asArray(statement.Resource)).toEqual([ref(secretId)]);
        expect(asArray(statement.Action).length).toBe(1);
      }
      // And no statement anywhere grants Secrets Manager wholesale.
      const actions = stack.allowedStatements().flatMap(({ statement }) => asArray(statement.Action));
      expect(actions.filter((action) => action === '*' || /^secretsmanager:.*\*/.test(action))).toEqual([]);
    });

    it('lets the key function write that secret and its own logs, nothing else', () => {
      const logGroupId = (stack.resources[keyFunctionId]!.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const grants = stack
        .statementsOf(stack.roleOf(keyFunctionId))
        .map((statement) => ({ actions: asArray(statement.Action).sort(), resources: asArray(statement.Resource) }));
      expect(grants.sort((a, b) => a.actions[0]!.localeCompare(b.actions[0]!))).toEqual([
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }] },
        { actions: ['secretsmanager:PutSecretValue'], resources: [ref(secretId)] },
      ]);
      expect(stack.resources[stack.roleOf(keyFunctionId)]!.Properties?.ManagedPolicyArns).toBeUndefined();
      expect(stack.resources[keyFunctionId]!.Properties?.Runtime).toBe('nodejs22.x');
      // The secret is named in each event (the custom resource's SecretArn), the key size in the bundled config.
      expect(stack.resources[keyFunctionId]!.Properties?.Environment).toBeUndefined();
    });

    it('rotates with -c signingKeyGeneration=2: a new secret, key pair and public key, and the key group names only the new key', () => {
      const rotated = new SynthesizedSignIn(viewer.path, fromCommandLine({ signingKeyGeneration: '2' }));
      const [rotatedSecretId] = rotated.only('AWS::SecretsManager::Secret');
      const [rotatedPublicKeyId, rotatedPublicKey] = rotated.only('AWS::CloudFront::PublicKey');
      const [rotatedKeyPairId] = rotated.only('Custom::CloudFrontSigningKey');
      expect(rotatedSecretId).not.toBe(secretId);
      expect(rotatedPublicKeyId).not.toBe(stack.only('AWS::CloudFront::PublicKey')[0]);
      expect(rotatedKeyPairId).not.toBe(stack.only('Custom::CloudFrontSigningKey')[0]);
      expect(JSON.stringify((rotatedPublicKey.Properties?.PublicKeyConfig as { Name: unknown }).Name)).toContain('-signing-key-2');
      const [keyGroupId, keyGroup] = rotated.only('AWS::CloudFront::KeyGroup');
      expect(keyGroupId).toBe(stack.only('AWS::CloudFront::KeyGroup')[0]);
      expect((keyGroup.Properties?.KeyGroupConfig as { Items: unknown[] }).Items).toEqual([ref(rotatedPublicKeyId)]);
      expect(rotated.environmentOf(rotated.authFunctionId())[lambdaEnvNames.accessSigningKeySecret]).toEqual(ref(rotatedSecretId));
    });
  });

  describe('the auth function', () => {
    it('may read that secret and its settings parameter and write its own logs, nothing else', () => {
      const statements = stack.statementsOf(stack.roleOf(authFunctionId));
      const { name } = stack.settingsParameter();
      expect(stack.environmentOf(authFunctionId)[lambdaEnvNames.accessSettingsParameter]).toBe(name);
      const logGroupId = (stack.resources[authFunctionId]!.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const grants = statements.map((statement) => ({ actions: asArray(statement.Action).sort(), resources: asArray(statement.Resource) }));
      expect(grants).toHaveLength(3);
      expect(grants).toContainEqual({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }],
      });
      expect(grants).toContainEqual({ actions: ['secretsmanager:GetSecretValue'], resources: [ref(secretId)] });
      const parameterGrant = grants.find((grant) => grant.actions.includes('ssm:GetParameter'));
      expect(parameterGrant?.actions).toEqual(['ssm:GetParameter']);
      const arn = evaluate(parameterGrant?.resources[0], {
        'AWS::Partition': 'aws',
        'AWS::Region': 'eu-west-1',
        'AWS::AccountId': '123456789012',
      });
      expect(arn).toBe(`arn:aws:ssm:eu-west-1:123456789012:parameter${name}`);
      expect(stack.resources[stack.roleOf(authFunctionId)]!.Properties?.ManagedPolicyArns).toBeUndefined();
    });

    it('is told the issuer, the settings parameter, the secret, the key pair id and (with the stack’s own pool) no allow-list', () => {
      const [userPoolId] = stack.only('AWS::Cognito::UserPool');
      const environment = stack.environmentOf(authFunctionId);
      expect(Object.keys(environment).sort()).toEqual(
        [
          lambdaEnvNames.accessIssuer,
          lambdaEnvNames.accessSettingsParameter,
          lambdaEnvNames.accessSigningKeySecret,
          lambdaEnvNames.accessKeyPairId,
          lambdaEnvNames.accessAllowedEmails,
        ].sort(),
      );
      const issuer = evaluate(environment[lambdaEnvNames.accessIssuer], {
        'AWS::Region': 'eu-west-1',
        'AWS::URLSuffix': 'amazonaws.com',
        [userPoolId]: 'eu-west-1_AbCdEf123',
      });
      expect(issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123');
      expect(environment[lambdaEnvNames.accessAllowedEmails]).toBe('');
      expect(stack.resources[authFunctionId]!.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        MemorySize: access.authFunction.memoryMb,
        Timeout: access.authFunction.timeoutSeconds,
      });
    });

    it('reads its client id, the site origin and Cognito’s sign-out page from the settings parameter', () => {
      const [distributionId] = stack.only('AWS::CloudFront::Distribution');
      const [clientId] = stack.only('AWS::Cognito::UserPoolClient');
      const [domainId] = stack.only('AWS::Cognito::UserPoolDomain');
      const { value } = stack.settingsParameter();
      // The distribution's domain name stands in for its GetAtt.
      const resolved = JSON.stringify(value).replaceAll(
        JSON.stringify({ 'Fn::GetAtt': [distributionId, 'DomainName'] }),
        '"d123.cloudfront.net"',
      );
      const settings = JSON.parse(
        evaluate(JSON.parse(resolved), { [clientId]: 'client123', [domainId]: 'xr-media-guid', 'AWS::Region': 'eu-west-1' }) as string,
      ) as AccessSettings;
      const signedOut = `https://d123.cloudfront.net${authRoutes.signedOut}`;
      expect(settings).toEqual({
        clientId: 'client123',
        siteOrigin: 'https://d123.cloudfront.net',
        providerLogoutUrl: `https://xr-media-guid.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=${encodeURIComponent(signedOut)}`,
      });
    });
  });

  describe('the Cognito user pool', () => {
    it('lets no one sign up, signs in by e-mail with a strong password, offers TOTP, and outputs its id', () => {
      const [userPoolId, userPool] = stack.only('AWS::Cognito::UserPool');
      expect(userPool.Properties).toMatchObject({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
        },
      });
      expect(stack.outputs[stackOutputKeys.userPoolId]!.Value).toEqual(ref(userPoolId));
      // Without -c ownerEmail no user is made.
      expect(stack.ofType('AWS::Cognito::UserPoolUser')).toEqual([]);
    });

    it('has one public app client: code flow with PKCE, openid and email, redirects to this site’s /auth/ only, Cognito its only provider', () => {
      const [distributionId] = stack.only('AWS::CloudFront::Distribution');
      const [, client] = stack.only('AWS::Cognito::UserPoolClient');
      const siteUrl = (path: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, path]] });
      expect(client.Properties).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: [...access.scopes],
        CallbackURLs: [siteUrl(authRoutes.callback)],
        LogoutURLs: [siteUrl(authRoutes.signedOut)],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      });
    });

    it('takes its hosted page’s domain prefix from the stack id: valid, unique to the stack, with no reserved word', () => {
      const [, domain] = stack.only('AWS::Cognito::UserPoolDomain');
      const stackId = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/XrMediaPipeline/51af3dc0-da77-11e4-872e-1234567db123';
      const prefix = evaluate(domain.Properties?.Domain, { 'AWS::StackId': stackId }) as string;
      expect(prefix).toBe('xr-media-51af3dc0-da77-11e4-872e-1234567db123');
      expect(prefix).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
      expect(prefix).not.toMatch(/aws|amazon|cognito/);
    });
  });

  describe('cdk deploy -c …', () => {
    it('makes the owner’s user from -c ownerEmail, e-mailed a temporary password, kept by a later deploy without it', () => {
      const withOwner = new SynthesizedSignIn(viewer.path, fromCommandLine({ ownerEmail: 'me@example.com' }));
      const [userPoolId] = withOwner.only('AWS::Cognito::UserPool');
      const [, owner] = withOwner.only('AWS::Cognito::UserPoolUser');
      expect(owner.Properties).toEqual({
        UserPoolId: ref(userPoolId),
        Username: 'me@example.com',
        UserAttributes: [
          { Name: 'email', Value: 'me@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      });
      expect(owner.DeletionPolicy).toBe('Retain');
    });

    it.each(['me', 'me@example', 'me@@example.com', 'me @example.com', 'a@example.com,b@example.com'])(
      'refuses ownerEmail=%j with a sentence',
      (ownerEmail) => {
        expect(() => fromCommandLine({ ownerEmail })).toThrow(InvalidDeployContextError);
        expect(() => fromCommandLine({ ownerEmail })).toThrow(/ownerEmail must be an e-mail address/);
      },
    );

    it('refuses oidcIssuer without allowedEmails, without a client id, or not https', () => {
      const issuer = 'https://accounts.example.com';
      expect(() => fromCommandLine({ oidcIssuer: issuer, oidcClientId: 'abc' })).toThrow(/oidcIssuer needs allowedEmails/);
      expect(() => fromCommandLine({ oidcIssuer: issuer, allowedEmails: 'a@example.com' })).toThrow(/oidcIssuer needs oidcClientId/);
      expect(() =>
        fromCommandLine({ oidcIssuer: 'http://accounts.example.com', oidcClientId: 'abc', allowedEmails: 'a@example.com' }),
      ).toThrow(/oidcIssuer must be an https:\/\/ URL/);
      expect(() => fromCommandLine({ oidcClientId: 'abc' })).toThrow(/oidcClientId needs oidcIssuer/);
      expect(() =>
        fromCommandLine({ oidcIssuer: issuer, oidcClientId: 'abc', allowedEmails: 'a@example.com', ownerEmail: 'a@example.com' }),
      ).toThrow(InvalidDeployContextError);
      expect(() => fromCommandLine({ oidcIssuer: issuer, oidcClientId: 'abc', allowedEmails: 'a@example.com,' })).toThrow(
        /allowedEmails must be an e-mail address/,
      );
    });

    it.each(['0', '1.5', 'two', ''])('refuses signingKeyGeneration=%j with a sentence', (signingKeyGeneration) => {
      expect(() => fromCommandLine({ signingKeyGeneration })).toThrow(/signingKeyGeneration must be a whole number from 1/);
    });

    it('with oidcIssuer, oidcClientId and allowedEmails: no Cognito at all, the issuer and allow-list in the auth function, the client id in its settings', () => {
      const props = fromCommandLine({
        oidcIssuer: 'https://accounts.example.com',
        oidcClientId: 'xr-gallery',
        allowedEmails: 'a@example.com, b@example.org',
      });
      expect(props.signIn).toEqual({
        provider: 'oidc',
        issuer: 'https://accounts.example.com',
        clientId: 'xr-gallery',
        allowedEmails: ['a@example.com', 'b@example.org'],
      });
      const oidc = new SynthesizedSignIn(viewer.path, props);
      expect(Object.values(oidc.resources).filter((resource) => resource.Type.startsWith('AWS::Cognito::'))).toEqual([]);
      expect(oidc.outputs).not.toHaveProperty(stackOutputKeys.userPoolId);
      const environment = oidc.environmentOf(oidc.authFunctionId());
      expect(environment[lambdaEnvNames.accessIssuer]).toBe('https://accounts.example.com');
      expect(environment[lambdaEnvNames.accessAllowedEmails]).toBe('a@example.com,b@example.org');
      const [distributionId] = oidc.only('AWS::CloudFront::Distribution');
      const settings = evaluate(
        JSON.parse(
          JSON.stringify(oidc.settingsParameter().value).replaceAll(
            JSON.stringify({ 'Fn::GetAtt': [distributionId, 'DomainName'] }),
            '"d123.cloudfront.net"',
          ),
        ),
        {},
      ) as string;
      expect(JSON.parse(settings)).toEqual({ clientId: 'xr-gallery', siteOrigin: 'https://d123.cloudfront.net' });
      expect(environment).not.toHaveProperty(lambdaEnvNames.accessClientSecret);
    });

    it('with oidcClientSecretName: the auth function is told the secret and may read it, and nothing else new', () => {
      const base = { oidcIssuer: 'https://accounts.google.com', oidcClientId: 'xr-gallery', allowedEmails: 'a@example.com' };
      expect(() => fromCommandLine({ oidcClientSecretName: 'xr/google' })).toThrow(/oidcClientSecretName needs oidcIssuer/);
      const props = fromCommandLine({ ...base, oidcClientSecretName: 'xr/google' });
      expect(props.signIn).toMatchObject({ provider: 'oidc', clientSecretName: 'xr/google' });
      const withSecret = new SynthesizedSignIn(viewer.path, props);
      const authId = withSecret.authFunctionId();
      expect(withSecret.environmentOf(authId)[lambdaEnvNames.accessClientSecret]).toBe('xr/google');
      const reads = withSecret
        .statementsOf(withSecret.roleOf(authId))
        .filter((statement) => asArray(statement.Action).includes('secretsmanager:GetSecretValue'))
        .map((statement) => JSON.stringify(statement.Resource));
      expect(reads).toHaveLength(2);
      expect(reads.filter((resource) => resource.includes(':secret:xr/google-??????'))).toHaveLength(1);
      const others = withSecret.allowedStatements().filter(({ statement }) => JSON.stringify(statement.Resource).includes('xr/google'));
      expect(others.map(({ roles }) => roles)).toEqual([[withSecret.roleOf(authId)]]);
    });
  });
});
