import type { App } from 'aws-cdk-lib';
import { embeddingModelSetting, InvalidEmbeddingModelError } from '../functions/config/index.js';
import type { SignInChoice } from './signIn.js';
import type { XrMediaPipelineStackProps } from './xrMediaPipelineStack.js';

/** A `-c name=value` the stack cannot use: cdk synth/deploy stops with this sentence. */
export class InvalidDeployContextError extends Error {
  override readonly name = 'InvalidDeployContextError';
}

/**
 * What `cdk deploy -c …` may set on the stack without editing code:
 * `viewerAssetPath=DIR` (a viewer built elsewhere),
 * `apiReservedConcurrency=N` (a ceiling on the API function, for accounts
 * whose concurrency quota leaves room for it; 0 reserves none),
 * `signingKeyGeneration=N` (bump it to replace the CloudFront signing key,
 * which ends every signed cookie and share link), and who may sign in:
 * `ownerEmail=ADDRESS` (the stack's Cognito user pool, with the owner's user),
 * or `oidcIssuer=URL oidcClientId=ID allowedEmails=A,B` (another OpenID
 * provider, no Cognito; `oidcClientSecretName=NAME` names a Secrets Manager
 * secret holding its client secret, for a provider that requires one);
 * `allowedEmails` also narrows a Cognito pool; and a model of your own to
 * embed with: `embeddingModel=s3://BUCKET/KEY.onnx` with
 * `embeddingModelSpec=FILE.json` (name, version, preprocessing, optional
 * memoryMb; pipelineConfig.embedding.onnx without it).
 */
export function deployContext(app: App): XrMediaPipelineStackProps {
  const context = (name: string): unknown => app.node.tryGetContext(name);
  const viewerAssetPath = context('viewerAssetPath');
  const reserved = context('apiReservedConcurrency');
  const generation = context('signingKeyGeneration');
  const props: XrMediaPipelineStackProps = {};
  if (viewerAssetPath !== undefined) {
    if (typeof viewerAssetPath !== 'string' || viewerAssetPath === '')
      throw new InvalidDeployContextError('viewerAssetPath must be a directory path');
    props.viewerAssetPath = viewerAssetPath;
  }
  if (reserved !== undefined) {
    const count = wholeNumber(reserved);
    if (count === undefined || count < 0)
      throw new InvalidDeployContextError(
        `apiReservedConcurrency must be a whole number of executions (0 for none), got '${String(reserved)}'`,
      );
    props.apiReservedConcurrency = count;
  }
  if (generation !== undefined) {
    const number = wholeNumber(generation);
    if (number === undefined || number < 1)
      throw new InvalidDeployContextError(`signingKeyGeneration must be a whole number from 1, got '${String(generation)}'`);
    props.signingKeyGeneration = number;
  }
  const signIn = signInChoice(context);
  if (signIn) props.signIn = signIn;
  const embeddingModel = embeddingModelChoice(context);
  if (embeddingModel) props.embeddingModel = embeddingModel;
  return props;
}

/** The model every embedding function and the search API use, checked here so a bad one stops the synth with the reason. */
function embeddingModelChoice(context: (name: string) => unknown): XrMediaPipelineStackProps['embeddingModel'] {
  const model = optionalString(context, 'embeddingModel');
  const specFile = optionalString(context, 'embeddingModelSpec');
  try {
    return embeddingModelSetting({ model, specFile }, { model: 'embeddingModel', specFile: 'embeddingModelSpec' }, true);
  } catch (error) {
    if (error instanceof InvalidEmbeddingModelError) throw new InvalidDeployContextError(error.message);
    throw error;
  }
}

/** The command line gives strings; Number('') would be 0. */
function wholeNumber(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isInteger(number) ? number : undefined;
}

/** Who may sign in, or undefined for the default: the stack's own Cognito pool with no user made for anyone yet. */
function signInChoice(context: (name: string) => unknown): SignInChoice | undefined {
  const ownerEmail = optionalString(context, 'ownerEmail');
  const issuer = optionalString(context, 'oidcIssuer');
  const clientId = optionalString(context, 'oidcClientId');
  const clientSecretName = optionalString(context, 'oidcClientSecretName');
  const allowedList = optionalString(context, 'allowedEmails');
  const allowedEmails = allowedList === undefined ? undefined : emailList(allowedList);
  if (ownerEmail !== undefined) checkEmail('ownerEmail', ownerEmail);

  if (issuer === undefined) {
    if (clientId !== undefined || clientSecretName !== undefined)
      throw new InvalidDeployContextError(
        `${clientId !== undefined ? 'oidcClientId' : 'oidcClientSecretName'} needs oidcIssuer (the OpenID provider it is a client of)`,
      );
    if (ownerEmail === undefined && allowedEmails === undefined) return undefined;
    return { provider: 'cognito', ...(ownerEmail ? { ownerEmail } : {}), ...(allowedEmails ? { allowedEmails } : {}) };
  }
  if (!isHttpsUrl(issuer)) throw new InvalidDeployContextError(`oidcIssuer must be an https:// URL, got '${issuer}'`);
  if (clientId === undefined)
    throw new InvalidDeployContextError('oidcIssuer needs oidcClientId: the client id the provider gave this site');
  if (allowedEmails === undefined)
    throw new InvalidDeployContextError(
      'oidcIssuer needs allowedEmails=a@example.com,b@example.com: without a list, every account of that provider would get in',
    );
  if (ownerEmail !== undefined)
    throw new InvalidDeployContextError(
      'ownerEmail makes a user in the stack’s Cognito pool, which oidcIssuer replaces: name the owner in allowedEmails',
    );
  return { provider: 'oidc', issuer, clientId, allowedEmails, ...(clientSecretName ? { clientSecretName } : {}) };
}

function optionalString(context: (name: string) => unknown, name: string): string | undefined {
  const value = context(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidDeployContextError(`${name} must not be empty`);
  return value.trim();
}

/** One @, no spaces or list separators, and a dot in the domain: enough to catch a typo or a swapped argument. */
const emailPattern = /^[^\s@,;]+@[^\s@,;.]+(\.[^\s@,;.]+)+$/;

function checkEmail(name: string, value: string): void {
  if (!emailPattern.test(value)) throw new InvalidDeployContextError(`${name} must be an e-mail address, got '${value}'`);
}

function emailList(list: string): string[] {
  const emails = list.split(',').map((email) => email.trim());
  for (const email of emails) checkEmail('allowedEmails', email);
  return emails;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
