/**
 * Debian packages as a source of image files: `apt-get download` (no install) into a cache directory,
 * then `dpkg-deb -x` into a per-package tree. `apt-get update` runs only when a download fails because
 * the package lists are missing or stale, and only once per process.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../../core/errors.js';

let updated = false;

async function download(pkg: string, dir: string): Promise<string> {
  const run = () => execa('apt-get', ['download', '-q', pkg], { cwd: dir, reject: false, timeout: 300_000 });
  let result = await run();
  if (result.exitCode !== 0 && !updated) {
    updated = true;
    const update = await execa('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'], { reject: false, timeout: 600_000 });
    if (update.exitCode !== 0) {
      throw new UsageError(
        `apt-get update failed while fetching ${pkg}: ${update.stderr.split('\n')[0] ?? ''}`,
        'run `apt-get update` as root with network access to a Debian mirror, or pass --base-image <registry image>',
      );
    }
    result = await run();
  }
  if (result.exitCode !== 0) {
    throw new UsageError(
      `apt-get download ${pkg} failed: ${result.stderr.split('\n').filter(Boolean).pop() ?? 'unknown error'}`,
      'make sure a Debian (bookworm) mirror is reachable and run `apt-get update` as root',
    );
  }
  const debs = (await readdir(dir)).filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (debs.length === 0) throw new Error(`apt-get download ${pkg} produced no .deb in ${dir}`);
  return join(dir, debs.sort().pop()!);
}

/**
 * Directory holding the unpacked contents of `pkg` (its root: usr/, bin/, …). Cached under
 * `<cacheDir>/debs/<pkg>`; a present `.unpacked` marker means it is complete.
 */
export async function unpackedPackage(pkg: string, cacheDir: string, log: (line: string) => void): Promise<string> {
  const root = join(cacheDir, 'debs', pkg);
  const tree = join(root, 'tree');
  if (existsSync(join(root, '.unpacked'))) return tree;
  await rm(root, { recursive: true, force: true });
  await mkdir(tree, { recursive: true });
  log(`downloading Debian package ${pkg}`);
  const deb = await download(pkg, root);
  await execa('dpkg-deb', ['-x', deb, tree], { timeout: 120_000 });
  await execa('touch', [join(root, '.unpacked')]);
  return tree;
}
