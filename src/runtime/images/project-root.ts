import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Faultline checkout (the directory whose package.json is named "faultline"), from src/ or dist/src/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'faultline') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the faultline package root');
    dir = up;
  }
}

/** Downloaded and unpacked Debian packages live here between builds (FAULTLINE_CACHE overrides). */
export function defaultCacheDir(): string {
  return process.env.FAULTLINE_CACHE ?? join(homedir(), '.cache', 'faultline');
}
