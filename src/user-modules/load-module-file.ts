/**
 * Loads an ES module from the user's project (a target file, a model file): TypeScript (.ts, .mts, through
 * tsx, no build step) or JavaScript (.js, .mjs). Every problem is a UsageError naming the file and what
 * kind of file it should be; what the module must export is the caller's business.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';

const TS = ['.ts', '.mts'];
/** Extensions of the modules Faultline imports: TypeScript through tsx, JavaScript directly. */
export const MODULE_FILE_EXTENSIONS = [...TS, '.js', '.mjs'];
/** Extensions whose module format follows the nearest package.json's "type". */
const FORMAT_BY_PACKAGE = ['.ts', '.js'];

/** Whether a command-line value names a file rather than a built-in: it has a path separator or one of `extensions`. */
export function looksLikePath(spec: string, extensions: readonly string[]): boolean {
  return spec.includes('/') || spec.includes('\\') || extensions.includes(extname(spec).toLowerCase());
}

/**
 * Imports the module at `file` (absolute). `compileTs: false` when something else already compiles
 * TypeScript (a source checkout running under tsx or vitest), else tsx is registered for a .ts file.
 */
export async function importModuleFile(file: string, compileTs = true): Promise<Record<string, unknown>> {
  if (compileTs && TS.includes(extname(file).toLowerCase())) {
    // tsx compiles TypeScript on the fly; registered once, for this thread, on first use.
    const { register } = (await import('tsx/esm/api')) as { register: () => unknown };
    registerTsx ??= register();
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
let registerTsx: unknown;

/** The absolute path of the file `path` (relative to `cwd`) names; a UsageError with `fix` when there is no such file. */
export function existingFile(kind: string, path: string, cwd: string, fix: string): string {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${kind} file ${path} does not exist (looked at ${file})`, fix);
  return file;
}

/** The nearest package.json above `file` and its "type" (Node's rule for .js, and tsx's for .ts). */
function packageScope(file: string): { path?: string; type?: string } {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      try {
        return { path, type: (JSON.parse(readFileSync(path, 'utf8')) as { type?: string }).type };
      } catch {
        return { path };
      }
    }
    if (dirname(dir) === dir) return {};
  }
}

/**
 * A user's module is an ES module that imports 'faultline'. As CommonJS it would require() Faultline while
 * Faultline is loading it, which Node refuses with a confusing "cycle" error: say what to do instead.
 */
function assertLoadsAsEsm(kind: string, path: string, file: string): void {
  const ext = extname(file).toLowerCase();
  if (!FORMAT_BY_PACKAGE.includes(ext)) return;
  const scope = packageScope(file);
  if (scope.type === 'module') return;
  const where = scope.path ? `${scope.path} ${scope.type ? `has "type": "${scope.type}"` : 'has no "type": "module"'}` : 'no package.json above it says "type": "module"';
  const esmName = `${basename(file, ext)}${ext === '.ts' ? '.mts' : '.mjs'}`;
  throw new UsageError(
    `${kind} file ${path} would load as CommonJS (${where}), but a ${kind} file is an ES module`,
    `rename it to ${esmName}, or set "type": "module" in ${scope.path ?? 'your package.json'} (npm pkg set type=module)`,
  );
}

export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').find((l) => l.trim() !== '') ?? text;
}

/**
 * Imports the user's `kind` file `path` (shown in errors) at `file` (absolute, existing): a UsageError when
 * its extension is not a module's (`accepted` lists what the caller takes), when it would load as
 * CommonJS, or when loading it fails (a syntax error, a throw at load).
 */
export async function importUserModule(
  kind: string,
  path: string,
  file: string,
  opts: { compileTs?: boolean; accepted?: readonly string[] } = {},
): Promise<Record<string, unknown>> {
  const ext = extname(file).toLowerCase();
  if (!MODULE_FILE_EXTENSIONS.includes(ext)) {
    throw new UsageError(`${kind} file ${path} has extension "${ext}", which Faultline cannot load`, `use one of ${(opts.accepted ?? MODULE_FILE_EXTENSIONS).join(', ')}`);
  }
  assertLoadsAsEsm(kind, path, file);
  try {
    return await importModuleFile(file, opts.compileTs);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${path}: ${err.message}`, err.fix);
    throw new UsageError(`${kind} file ${path} failed to load: ${firstLine(err)}`, `fix the error in ${path} (\`node ${path}\` or \`npx tsx ${path}\` shows the full stack)`);
  }
}
