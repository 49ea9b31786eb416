import { UsageError } from '../../src/core/errors.js';
import { looksLikePath, MODULE_FILE_EXTENSIONS } from '../../src/user-modules/load-module-file.js';
import type { Model } from '../types.js';
import { casRegisterModel } from './cas-register.js';
import { fifoQueueModel } from './fifo-queue.js';
import { kvAppendModel } from './kv-append.js';
import { kvModel } from './kv.js';
import { mutexModel } from './mutex.js';
import { registerModel } from './register.js';
import { setModel } from './set.js';

const factories: Record<string, (init: unknown) => Model> = {
  register: registerModel,
  'cas-register': casRegisterModel,
  kv: kvModel,
  'kv-append': kvAppendModel as (init: unknown) => Model,
  mutex: mutexModel as (init: unknown) => Model,
  set: setModel as (init: unknown) => Model,
  'fifo-queue': fifoQueueModel as (init: unknown) => Model,
};

export const modelNames = Object.keys(factories);

/** Whether `--model` names a model file (checker/models/load-model-file.ts) rather than a built-in model. */
export function isModelPath(spec: string): boolean {
  return looksLikePath(spec, MODULE_FILE_EXTENSIONS);
}

/** A built-in model by name with its initial value (default null); an unknown name is a UsageError. */
export function getModel(name: string, init: unknown = null): Model {
  const make = factories[name];
  if (!make) {
    throw new UsageError(
      `unknown model "${name}"; known models: ${modelNames.join(', ')}`,
      `use one of those, or give the path of a model file (${MODULE_FILE_EXTENSIONS.join(', ')}), e.g. --model ./my-model.ts`,
    );
  }
  return make(init);
}
