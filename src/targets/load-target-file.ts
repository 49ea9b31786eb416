/**
 * Loads a target from a module in the user's project: TypeScript (.ts, .mts, .cts, through tsx, no build
 * step) or JavaScript (.js, .mjs, .cjs), exporting the target as default or as `target`. Declarative
 * files (.json, .yaml, .yml) go to the declarative loader. Every problem is a UsageError naming the file.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.js';
import { defineTarget, isTarget, targetProblems, type Target } from '../core/target.js';

const TS = ['.ts', '.mts', '.cts'];
const JS = ['.js', '.mjs', '.cjs'];
const DECLARATIVE = ['.json', '.yaml', '.yml'];
export const TARGET_FILE_EXTENSIONS = [...TS, ...JS, ...DECLARATIVE];

/** Whether `--target` names a file rather than a built-in target. */
export function isTargetPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || TARGET_FILE_EXTENSIONS.includes(extname(spec).toLowerCase());
}

// Specifier in a variable: the declarative loader is another module that may not be in every build.
const DECLARATIVE_MODULE = './declarative/index.js';

async function importModule(file: string, compileTs: boolean): Promise<Record<string, unknown>> {
  if (compileTs && TS.includes(extname(file).toLowerCase())) {
    // tsx compiles TypeScript on the fly; registered once, for this process, on first use.
    const { register } = (await import('tsx/esm/api')) as { register: () => unknown };
    registerTsx ??= register();
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
let registerTsx: unknown;

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
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file, compileTs);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${path}: ${err.message}`, err.fix);
    throw new UsageError(`target file ${path} failed to load: ${firstLine(err)}`, `fix the error in ${path} (\`node ${path}\` or \`npx tsx ${path}\` shows the full stack)`);
  }
  return targetFromModule(path, mod);
}
