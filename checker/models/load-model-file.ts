/**
 * A model from a file in the user's project (`--model ./my-model.ts`): the module's default export, or else
 * its one export that is a model, described with `defineModel` (or an object of the same shape). Its init()
 * gives the initial state. The model carries a recipe naming the file and the export, so worker threads
 * import the same file and check its keys too. Its functions are guarded (model-code-errors.ts): a throw in
 * them is the user's to fix, said alike in either thread.
 */
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../src/core/errors.js';
import { defineModel, type Model as PublicModel } from '../../src/core/model.js';
import { existingFile, importUserModule } from '../../src/user-modules/load-module-file.js';
import type { Model, ModelRecipe } from '../types.js';
import { modelNames } from './index.js';
import { guardModelCode } from './model-code-errors.js';

const HOW_TO_EXPORT = "export the model: `export default defineModel({ name, init, step, hash, equal, describeOp, describeState })`, with defineModel from 'faultline'";

/** How a worker rebuilds a model file's model; `path` is the file as the user named it, for the same errors. */
export interface ModelFileRecipe extends ModelRecipe {
  path: string;
}

/**
 * The model `path` (named in errors; `file` is its absolute path) exports as `name`, its functions guarded; a
 * UsageError names the file, the export and what is wrong.
 */
export function modelFromExport(path: string, file: string, name: string, exported: unknown): Model {
  const which = name === 'default' ? 'the default export' : `export "${name}"`;
  if (typeof exported === 'function') {
    throw new UsageError(`${path}: ${which} is a function, but a model file exports the model itself (its init() gives the initial state)`, HOW_TO_EXPORT);
  }
  let model: Model;
  try {
    model = defineModel(exported as PublicModel) as Model;
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${path}: ${name === 'default' ? '' : `${which}: `}${err.message}`, err.fix);
    throw err;
  }
  return guardModelCode(model, path, file);
}

function isModel(value: unknown): boolean {
  try {
    defineModel(value as PublicModel);
    return true;
  } catch {
    return false;
  }
}

/** Which export of the module is the model: the default, else the one export that is a model. */
function chooseExport(path: string, mod: Record<string, unknown>): string {
  if (mod.default !== undefined) return 'default';
  const names = Object.keys(mod).filter((k) => k !== 'default').sort();
  const models = names.filter((k) => isModel(mod[k]));
  if (models.length === 1) return models[0];
  if (models.length > 1) throw new UsageError(`${path} exports ${models.length} models (${models.join(', ')}) and no default`, `export the one to check as default: \`export default ${models[0]}\``);
  // A lone export that is not a model is surely meant to be one: say what is wrong with it.
  if (names.length === 1) return names[0];
  throw new UsageError(`${path} exports no model${names.length > 0 ? ` (it exports: ${names.join(', ')})` : ''}`, HOW_TO_EXPORT);
}

/**
 * Loads and checks the model in `path` (relative to `cwd`). The model returned inherits everything from the
 * exported one, guards its functions and adds how a worker thread rebuilds it (the user's object is left as it is).
 */
export async function loadModelFile(path: string, cwd = process.cwd()): Promise<Model> {
  const file = existingFile('model', path, cwd, `give the path of a model file, or a built-in model: ${modelNames.join(', ')}`);
  const mod = await importUserModule('model', path, file);
  const name = chooseExport(path, mod);
  const model = modelFromExport(path, file, name, mod[name]);
  const worker: ModelFileRecipe = { module: pathToFileURL(file).href, export: name, path };
  return Object.defineProperty(model, 'worker', { value: worker, enumerable: true });
}
