import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const mediaDir = resolve('bench/.media');

/**
 * The unpacked files of a Debian package, fetched into bench/.media
 * (git-ignored, never committed) with apt-get download and dpkg -x on first use.
 */
export function debianPackageRoot(name: string): string {
  const root = join(mediaDir, name);
  if (existsSync(root)) return root;
  mkdirSync(mediaDir, { recursive: true });
  console.error(`fetching images: apt-get download ${name} (once)`);
  execFileSync('apt-get', ['download', name], { cwd: mediaDir, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(mediaDir).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${name} produced no .deb`);
  execFileSync('dpkg', ['-x', join(mediaDir, deb), root]);
  return root;
}
