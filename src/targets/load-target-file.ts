/**
 * Loads a target from an ES module in the user's project: TypeScript (.ts, .mts, through tsx, no build
 * step) or JavaScript (.js, .mjs), exporting the target as default or as `target`. Declarative
 * files (.json, .yaml, .yml) go to the declarative loader. Every problem is a UsageError naming the file.
 */
import { extname } from 'node:path';
import { UsageError } from '../core/errors.js';
import { defineTarget, isTarget, targetProblems, type Target } from '../core/target.js';
import { existingFile, firstLine, importUserModule, looksLikePath, MODULE_FILE_EXTENSIONS } from '../user-modules/load-module-file.js';

const DECLARATIVE = ['.json', '.yaml', '.yml'];
export const TARGET_FILE_EXTENSIONS = [...MODULE_FILE_EXTENSIONS, ...DECLARATIVE];

/** Whether `--target` names a file rather than a built-in target. */
export function isTargetPath(spec: string): boolean {
  return looksLikePath(spec, TARGET_FILE_EXTENSIONS);
}

// Specifier in a variable: the declarative loader is another module that may not be in every build.
const DECLARATIVE_MODULE = '../declarative/index.js';

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
  const file = existingFile('target', path, cwd, 'give the path of a target file, or a built-in target name');
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
  const mod = await importUserModule('target', path, file, { compileTs, accepted: TARGET_FILE_EXTENSIONS });
  return targetFromModule(path, mod);
}
