import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipelineConfig } from '../functions/config/index.js';

/**
 * The local stand-in for the stack's CloudFront signing key: made on first use
 * under the data directory (owner-only file), kept across restarts so cookies
 * and share links outlive a restart as they outlive a deploy. Delete the file
 * to revoke everything, as rotating the key does on AWS.
 */
export async function localSigningKey(dataDir: string): Promise<{ keyPairId: string; privateKeyPem: string }> {
  const { keyFile, keyPairId } = pipelineConfig.access.local;
  const path = join(dataDir, keyFile);
  try {
    return { keyPairId, privateKeyPem: await readFile(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: pipelineConfig.access.signingKeyBits });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, privateKeyPem, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process made it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return { keyPairId, privateKeyPem: await readFile(path, 'utf8') };
}
