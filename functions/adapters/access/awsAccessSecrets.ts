import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AccessSettings } from '../../config/index.js';

/** A secret's text (a provider's client secret); an empty or binary secret is an error that names it. */
export async function readSecretString(secretId: string, client = new SecretsManagerClient({})): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error(`secret ${secretId} holds no text`);
  return SecretString;
}

/** The signing key's PEM from the stack's secret (the auth function, or the CLI with the operator's credentials). */
export async function readSigningKey(secretArn: string, client = new SecretsManagerClient({})): Promise<string> {
  const pem = await readSecretString(secretArn, client);
  if (!pem.includes('PRIVATE KEY')) throw new Error(`secret ${secretArn} holds no PEM private key; was the stack's key resource deployed?`);
  return pem;
}

/** The auth function's settings parameter (AccessSettings JSON). */
export async function readAccessSettings(parameterName: string, client = new SSMClient({})): Promise<AccessSettings> {
  const { Parameter } = await client.send(new GetParameterCommand({ Name: parameterName }));
  const settings = JSON.parse(Parameter?.Value ?? '{}') as Partial<AccessSettings>;
  if (typeof settings.clientId !== 'string' || typeof settings.siteOrigin !== 'string')
    throw new Error(`parameter ${parameterName} does not hold the auth settings (clientId, siteOrigin)`);
  return settings as AccessSettings;
}
