import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeyHandler, type SigningKeyResult } from '../../functions/handlers/signingKey.js';
import { motoServerMissing, startMotoServer, type MotoServer } from '../helpers/motoServer.js';

/**
 * The stack's signing-key custom resource handler against moto's Secrets
 * Manager, as the provider framework calls it during a deploy: Create writes
 * the private key to the secret and hands back only the public key; Update
 * and Delete leave the key alone.
 */
const keyBits = 2048;

describe.skipIf(motoServerMissing)(
  `signing-key custom resource on moto_server${motoServerMissing ? ` (skipped: ${motoServerMissing})` : ''}`,
  () => {
    let moto: MotoServer;
    let secretsManager: SecretsManagerClient;
    let secretArn: string;
    let created: SigningKeyResult;

    const event = (type: 'Create' | 'Update' | 'Delete', physicalId?: string): CloudFormationCustomResourceEvent => {
      const common = {
        ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
        ResponseURL: 'https://cloudformation-custom-resource-response.example/',
        StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/XrMediaPipeline/51af3dc0-da77-11e4-872e-1234567db123',
        RequestId: `request-${type}`,
        LogicalResourceId: 'SignInSigningKeyGeneration1KeyPair',
        ResourceType: 'Custom::CloudFrontSigningKey',
        ResourceProperties: { ServiceToken: 'token', SecretArn: secretArn },
      };
      if (type === 'Create') return { ...common, RequestType: 'Create' };
      if (type === 'Update')
        return { ...common, RequestType: 'Update', PhysicalResourceId: physicalId!, OldResourceProperties: common.ResourceProperties };
      return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId! };
    };
    const handler = () => createSigningKeyHandler({ secretsManager, keyBits, logger: new Logger({ logLevel: 'SILENT' }) });
    const versionCount = async () =>
      (await secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretArn }))).Versions?.length ?? 0;

    beforeAll(async () => {
      moto = await startMotoServer();
      secretsManager = new SecretsManagerClient({
        region: 'us-east-1',
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
      });
      // As the stack makes it: a secret with no value until the custom resource writes one.
      secretArn = (await secretsManager.send(new CreateSecretCommand({ Name: 'signing-key-test' }))).ARN!;
      created = await handler()(event('Create'));
    }, 60_000);

    afterAll(async () => moto?.stop());

    it('writes the private key to the secret and returns only the public key', async () => {
      const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
      expect(SecretString).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(JSON.stringify(created)).not.toContain('PRIVATE KEY');
      expect(Object.keys(created.Data ?? {})).toEqual(['PublicKeyPem']);
      const publicKeyPem = created.Data!.PublicKeyPem;
      expect(publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      // The secret's key and the returned key are one pair.
      const policy = Buffer.from('{"Statement":[]}');
      expect(verify('RSA-SHA1', policy, publicKeyPem, sign('RSA-SHA1', policy, createPrivateKey(SecretString!)))).toBe(true);
      expect(created.PhysicalResourceId.length).toBeLessThanOrEqual(1024);
    });

    it('keeps the key on Update: the same public key back, no new secret version', async () => {
      const before = await versionCount();
      const updated = await handler()(event('Update', created.PhysicalResourceId));
      expect(updated.PhysicalResourceId).toBe(created.PhysicalResourceId);
      expect(createPublicKey(updated.Data!.PublicKeyPem).export({ type: 'spki', format: 'der' })).toEqual(
        createPublicKey(created.Data!.PublicKeyPem).export({ type: 'spki', format: 'der' }),
      );
      expect(await versionCount()).toBe(before);
    });

    it('leaves the secret to CloudFormation on Delete', async () => {
      const { SecretString: before } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
      const deleted = await handler()(event('Delete', created.PhysicalResourceId));
      expect(deleted).toEqual({ PhysicalResourceId: created.PhysicalResourceId });
      const { SecretString: after } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }));
      expect(after).toBe(before);
    });
  },
);
