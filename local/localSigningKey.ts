import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generateSigningKeyPair } from '../functions/domain/access/index.js';
import { pipelineConfig } from '../functions/config/index.js';

export interface LocalSigningKey {
  keyPairId: string;
  privateKeyPem: string;
}

const keyPath = (dataDir: string) => join(dataDir, pipelineConfig.access.local.keyFile);

/** The local key if the local mode has made one (the CLI signs with it); undefined before the first `npm start -- --sign-in`. */
export async function readLocalSigningKey(dataDir: string): Promise<LocalSigningKey | undefined> {
  try {
    return { keyPairId: pipelineConfig.access.local.keyPairId, privateKeyPem: await readFile(keyPath(dataDir), 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The local stand-in for the stack's CloudFront signing key: made on first use
 * under the data directory (owner-only file), kept across restarts so cookies
 * and share links outlive a restart as they outlive a deploy. Delete the file
 * to revoke everything, as rotating the key does on AWS.
 */
export async function localSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const existing = await readLocalSigningKey(dataDir);
  if (existing) return existing;
  const { privateKeyPem } = generateSigningKeyPair(pipelineConfig.access.signingKeyBits);
  await mkdir(dirname(keyPath(dataDir)), { recursive: true });
  await writeFile(keyPath(dataDir), privateKeyPem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    // Another process made it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readLocalSigningKey(dataDir))!;
}
