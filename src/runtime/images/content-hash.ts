/**
 * Content hashes of image inputs. The true hash reads every byte (≈100 MB for the base), so it is cached
 * on disk under a cheap fingerprint of the inputs (paths, modes, link targets, inline bytes, and size +
 * mtime of host files): an unchanged input set costs a few `stat`s, a changed one is re-read.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { completeEntries, tarHash, type TarEntry } from './tar-pack.js';

export async function inputFingerprint(entries: TarEntry[], salt: string): Promise<string> {
  const hash = createHash('sha256').update(salt);
  for (const e of completeEntries(entries)) {
    let detail: unknown[];
    if (e.type === 'file' && 'source' in e) {
      const info = await stat(e.source);
      detail = [e.source, info.size, info.mtimeMs, e.mode];
    } else if (e.type === 'file') {
      detail = [createHash('sha256').update(e.content).digest('hex'), e.mode];
    } else if (e.type === 'symlink') {
      detail = [e.target];
    } else {
      detail = [e.mode];
    }
    hash.update(JSON.stringify([e.type, e.path, ...detail]));
  }
  return hash.digest('hex');
}

/** SHA-256 of the tar the entries make, memoised in `<cacheDir>/hashes/` by input fingerprint. */
export async function contentHash(entries: TarEntry[], salt: string, cacheDir: string): Promise<string> {
  const fingerprint = await inputFingerprint(entries, salt);
  const dir = join(cacheDir, 'hashes');
  const file = join(dir, fingerprint);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const hash = await tarHash(entries, salt);
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${hash}\n`);
  return hash;
}
