/**
 * Loads a target from an ES module in the user's project: TypeScript (.ts, .mts, through tsx, no build
 * step) or JavaScript (.js, .mjs), exporting the target as default or as `target`. Declarative
 * files (.json, .yaml, .yml) go to the declarative loader. Every problem is a UsageError naming the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import { defineTarget, isTarget, targetProblems, type Target } from '../core/target.js';

const TS = ['.ts', '.mts'];
const JS = ['.js', '.mjs'];
/** Extensions whose module format follows the nearest package.json's "type". */
const FORMAT_BY_PACKAGE = ['.ts', '.js'];
const DECLARATIVE = ['.json', '.yaml', '.yml'];
export const TARGET_FILE_EXTENSIONS = [...TS, ...JS, ...DECLARATIVE];

/** Whether `--target` names a file rather than a built-in target. */
export function isTargetPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || TARGET_FILE_EXTENSIONS.includes(extname(spec).toLowerCase());
}

// Specifier in a variable: the declarative loader is another module that may not be in every build.
const DECLARATIVE_MODULE = '../declarative/index.js';

async function importModule(file: string, compileTs: boolean): Promise<Record<string, unknown>> {
  if (compileTs && TS.includes(extname(file).toLowerCase())) {
    // tsx compiles TypeScript on the fly; registered once, for this process, on first use.
    const { register } = (await import('tsx/esm/api')) as { register: () => unknown };
    registerTsx ??= register();
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
let registerTsx: unknown;

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
 * A target is an ES module that imports 'faultline'. As CommonJS it would require() Faultline while
 * Faultline is loading it, which Node refuses with a confusing "cycle" error: say what to do instead.
 */
function assertLoadsAsEsm(path: string, file: string): void {
  const ext = extname(file).toLowerCase();
  if (!FORMAT_BY_PACKAGE.includes(ext)) return;
  const scope = packageScope(file);
  if (scope.type === 'module') return;
  const where = scope.path ? `${scope.path} ${scope.type ? `has "type": "${scope.type}"` : 'has no "type": "module"'}` : 'no package.json above it says "type": "module"';
  const esmName = `${basename(file, ext)}${ext === '.ts' ? '.mts' : '.mjs'}`;
  throw new UsageError(
    `target file ${path} would load as CommonJS (${where}), but a target file is an ES module`,
    `rename it to ${esmName}, or set "type": "module" in ${scope.path ?? 'your package.json'} (npm pkg set type=module)`,
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').find((l) => l.trim() !== '') ?? text;
}

/** The target a module exports (default, or named `target`); a UsageError says what it has instead. */
export function targetFromModule(file: string, mod: Record<string, unknown>): Target {
  const exported = mod.default ?? mod.target;
  if (exported === undefined) {
    const names = Object.keys(mod).filter((k) => k !== 'default').sort();
    throw new UsageError(
      `${file} exports no target${names.length > 0 ? ` (it exports: ${names.join(', ')})` : ''}`,
      "export it: `export default defineTarget({...})` (or `export const target = defineTarget({...})`), with defineTarget from 'faultline'",
    );
  }
  if (isTarget(exported)) return exported;
  const problems = targetProblems(exported);
  if (problems.length > 0) {
    throw new UsageError(`${file}: the exported target is not valid: ${problems.join('; ')}`, 'fix these fields of the target (see docs/extending.md)');
  }
  // A complete description exported without defineTarget: checked above, so define it here.
  return defineTarget(exported as Parameters<typeof defineTarget>[0]) as unknown as Target;
}

/**
 * Loads and checks the target in `path` (relative to `cwd`). `compileTs: false` when something else
 * already compiles TypeScript (the built-in targets in a source checkout run under tsx or vitest).
 */
export async function loadTargetFile(path: string, cwd = process.cwd(), compileTs = true): Promise<Target> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`target file ${path} does not exist (looked at ${file})`, 'give the path of a target file, or a built-in target name');
  }
  const ext = extname(file).toLowerCase();
  if (DECLARATIVE.includes(ext)) {
    let loader: { loadDeclarativeTarget?: (file: string) => Promise<Target> };
    try {
      loader = (await import(DECLARATIVE_MODULE)) as typeof loader;
    } catch (err) {
      throw new UsageError(`${path}: declarative target files cannot be read by this build (${firstLine(err)})`, 'write the target as a .ts or .js module');
    }
    if (typeof loader.loadDeclarativeTarget !== 'function') throw new UsageError(`${path}: declarative target files cannot be read by this build`, 'write the target as a .ts or .js module');
    return loader.loadDeclarativeTarget(file);
  }
  if (![...TS, ...JS].includes(ext)) {
    throw new UsageError(`target file ${path} has extension "${ext}", which Faultline cannot load`, `use one of ${TARGET_FILE_EXTENSIONS.join(', ')}`);
  }
  assertLoadsAsEsm(path, file);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file, compileTs);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${path}: ${err.message}`, err.fix);
    throw new UsageError(`target file ${path} failed to load: ${firstLine(err)}`, `fix the error in ${path} (\`node ${path}\` or \`npx tsx ${path}\` shows the full stack)`);
  }
  return targetFromModule(path, mod);
}
