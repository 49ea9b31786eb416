/**
 * Every target Faultline can test: the built-in ones (one folder each under targets/, found by listing it,
 * so adding a database is adding a folder) and target files in the user's project (`--target ./x.ts`).
 * Target code is imported only when a target is asked for: `faultline check` never loads it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import type { Target } from '../core/target.js';
import { isTargetPath, loadTargetFile, TARGET_FILE_EXTENSIONS } from './load-target-file.js';

/** targets/ beside src/ (the same relative place in the source tree and in dist/). */
const TARGETS_DIR = fileURLToPath(new URL('../../targets/', import.meta.url));

/** The module of built-in target `name` (compiled .js, or .ts when running from source), if any. */
function builtinModule(name: string): string | undefined {
  for (const file of ['target.js', 'target.ts']) {
    const path = `${TARGETS_DIR}${name}/${file}`;
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Names of the built-in targets, sorted: the folders of targets/ that hold a target module. */
export function knownTargets(): string[] {
  if (!existsSync(TARGETS_DIR)) return [];
  return readdirSync(TARGETS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && builtinModule(d.name) !== undefined)
    .map((d) => d.name)
    .sort();
}

/** For --target help texts: the built-in names and the file forms. */
export function targetChoices(): string {
  return `${knownTargets().join(' | ')}, or a target file (${TARGET_FILE_EXTENSIONS.join(', ')})`;
}

const cache = new Map<string, Promise<Target>>();

async function loadBuiltin(name: string): Promise<Target> {
  const path = builtinModule(name);
  if (!path) {
    const known = knownTargets();
    throw new UsageError(
      `unknown target "${name}"; known targets: ${known.join(', ')}`,
      `use --target ${known[0] ?? 'raftkv'}, or give the path of a target file, e.g. --target ./my-target.ts`,
    );
  }
  const target = await loadTargetFile(path, process.cwd(), false);
  if (target.name !== name) throw new UsageError(`built-in target folder targets/${name} holds a target named "${target.name}"`, `rename one so they match`);
  return target;
}

/** The target called `spec` (a built-in name) or defined in the file at `spec` (a path); errors name what is wrong. */
export function loadTarget(spec: string): Promise<Target> {
  const key = isTargetPath(spec) ? `file:${pathToFileURL(spec).href}` : spec;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = isTargetPath(spec) ? loadTargetFile(spec) : loadBuiltin(spec);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

/** The absolute path of the target file `spec` names, or undefined for a built-in name (recorded on clusters). */
export function targetFileOf(spec: string): string | undefined {
  return isTargetPath(spec) ? resolve(spec) : undefined;
}

/** Every built-in target, loaded (for help listings and `images build --all`). */
export async function builtinTargets(): Promise<Target[]> {
  return Promise.all(knownTargets().map((name) => loadTarget(name)));
}
