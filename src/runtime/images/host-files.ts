/** Turning host files and directories into tar entries (modes kept, symlinks inside trees kept as links). */
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { TarEntry } from './tar-pack.js';

/** A host file copied (dereferenced) to `path` in the archive, keeping its permission bits. */
export async function hostFileEntry(source: string, path: string): Promise<TarEntry> {
  const real = await realpath(source);
  const info = await stat(real);
  if (!info.isFile()) throw new Error(`${source} is not a regular file`);
  return { type: 'file', path, source: real, mode: info.mode & 0o7777 };
}

/** Every file, directory and symlink under `dir`, placed under `prefix` in the archive. */
export async function hostTreeEntries(dir: string, prefix: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  const top = await stat(dir); // follows a symlink given as the source itself
  if (top.isFile()) return [await hostFileEntry(dir, prefix)];
  out.push({ type: 'dir', path: prefix, mode: top.mode & 0o7777 });
  for (const name of (await readdir(dir)).sort()) {
    const source = join(dir, name);
    const path = posix.join(prefix, name);
    const info = await lstat(source);
    if (info.isSymbolicLink()) out.push({ type: 'symlink', path, target: await readlink(source) });
    else if (info.isDirectory()) out.push(...(await hostTreeEntries(source, path)));
    else if (info.isFile()) out.push({ type: 'file', path, source, mode: info.mode & 0o7777 });
  }
  return out;
}
