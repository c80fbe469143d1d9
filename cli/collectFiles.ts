import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { UsageError } from './errors.js';

export interface FileToUpload {
  path: string;
  /** Key relative to the uploads prefix, with '/' separators. */
  relativeKey: string;
  bytes: number;
}

/** Expands files and folders (recursively) into a stable, de-duplicated list. */
export async function collectFiles(paths: readonly string[]): Promise<FileToUpload[]> {
  const found = new Map<string, FileToUpload>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isFile()) {
      found.set(path, { path, relativeKey: basename(path), bytes: info.size });
      continue;
    }
    for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const filePath = join(entry.parentPath, entry.name);
      const relativeKey = [basename(path), ...relative(path, filePath).split(sep)].join('/');
      found.set(filePath, { path: filePath, relativeKey, bytes: (await stat(filePath)).size });
    }
  }
  return [...found.values()].sort((a, b) => a.relativeKey.localeCompare(b.relativeKey));
}
