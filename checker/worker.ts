import { parentPort } from 'node:worker_threads';
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

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'result'; index: number; result: KeyResult }
  /** The share is finished; `error` when the model could not be rebuilt (nothing was checked). */
  | { kind: 'done'; error?: string };

async function rebuild(recipe: ModelRecipe): Promise<Model> {
  const module = (await import(recipe.module)) as Record<string, unknown>;
  const make = module[recipe.export];
  if (typeof make !== 'function') throw new Error(`${recipe.module} has no function export "${recipe.export}"`);
  return make(...(recipe.args ?? [])) as Model;
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
    await interleaveSearches(model, req.jobs, { deadline: req.deadline, maxHeapBytes: req.maxHeapBytes, shrinkUntil: req.shrinkUntil }, {
      onResult: (job, result) => {
        port.postMessage({ kind: 'result', index: job.index, result } satisfies WorkerReply);
        return result.valid === false && !req.allKeys;
      },
    });
    port.postMessage({ kind: 'done' } satisfies WorkerReply);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}
