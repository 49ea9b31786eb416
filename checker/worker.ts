import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { firstLine, importModuleFile } from '../src/user-modules/load-module-file.js';
import type { ModelFileRecipe } from './models/load-model-file.js';
import { ModelCodeError } from './models/model-code-errors.js';
import { interleaveSearches, type SearchJob } from './schedule.js';
import type { KeyResult, Model, ModelRecipe } from './types.js';

/** Messages between checker/pool.ts and this worker thread. */
export interface WorkerRequest {
  kind: 'check';
  /** How to rebuild the model here (Model.worker). */
  model: ModelRecipe;
  jobs: SearchJob[];
  deadline?: number;
  shrinkUntil?: number;
  maxHeapBytes?: number;
  allKeys: boolean;
}

/** What a worker says of a throw in the model file's own code (a ModelCodeError), to be raised again by the pool. */
export interface ModelCodeFailure {
  message: string;
  fix?: string;
}

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'result'; index: number; result: KeyResult }
  /**
   * The share is finished; `error` when the model could not be rebuilt (nothing was checked), `fatal` when
   * the model file's own code threw (the check cannot go on, here or anywhere: the user must fix it).
   */
  | { kind: 'done'; error?: string; fatal?: ModelCodeFailure };

/**
 * The model the recipe names: a built-in's export is a function called with the recipe's args; a model
 * file's export is the model itself, checked as the main thread checked it. A TypeScript file is imported
 * as the main thread imported it (through tsx), unless this worker runs as TypeScript source, which
 * checker/pool.ts starts with tsx already registered.
 */
async function rebuild(recipe: ModelRecipe): Promise<Model> {
  const file = fileURLToPath(recipe.module);
  let module: Record<string, unknown>;
  try {
    module = await importModuleFile(file, !import.meta.url.endsWith('.ts'));
  } catch (e) {
    throw new Error(`${file} failed to load on a worker thread: ${firstLine(e)}`);
  }
  const exported = module[recipe.export];
  if (typeof exported === 'function') return exported(...(recipe.args ?? [])) as Model;
  if (exported === undefined) throw new Error(`${file} has no export "${recipe.export}"`);
  // Only a model file's export is a model object: its loader (and every built-in model it names in its
  // errors) is not loaded into a worker checking a built-in model.
  const { modelFromExport } = await import('./models/load-model-file.js');
  return modelFromExport((recipe as Partial<ModelFileRecipe>).path ?? file, file, recipe.export, exported);
}

// Only act as a worker when started as one (importing this file for its types does nothing).
if (parentPort) {
  const port = parentPort;
  port.on('message', async (req: WorkerRequest) => {
    let model: Model;
    try {
      model = await rebuild(req.model);
    } catch (e) {
      port.postMessage({ kind: 'done', error: (e as Error).message } satisfies WorkerReply);
      return;
    }
    try {
      await interleaveSearches(model, req.jobs, { deadline: req.deadline, maxHeapBytes: req.maxHeapBytes, shrinkUntil: req.shrinkUntil }, {
        onResult: (job, result) => {
          port.postMessage({ kind: 'result', index: job.index, result } satisfies WorkerReply);
          return result.valid === false && !req.allKeys;
        },
      });
    } catch (e) {
      if (!(e instanceof ModelCodeError)) throw e;
      port.postMessage({ kind: 'done', fatal: { message: e.message, fix: e.fix } } satisfies WorkerReply);
      return;
    }
    port.postMessage({ kind: 'done' } satisfies WorkerReply);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}
