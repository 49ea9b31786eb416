import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KeyResult } from './types.js';
import type { KeyTask } from './index.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const STARTUP_TIMEOUT_MS = 10_000;

/** How many worker threads to use: `requested` when given (0 = none), else one per core (at most 8). */
export function workerCountFor(tasks: KeyTask[], requested: number | undefined): number {
  if (tasks.length < 2) return 0;
  if (requested !== undefined) return Math.max(0, Math.min(requested, tasks.length));
  return Math.min(availableParallelism(), tasks.length, 8);
}

/**
 * How to start the worker: compiled (dist/), worker.js sits next to this module. Under tsx or vitest this
 * module is TypeScript and Node 20 does not pass loader hooks (nor `--import tsx` in execArgv) to workers,
 * so a small inline bootstrap registers tsx's ESM hooks inside the worker before importing worker.ts.
 */
function workerScript(): { script: string | URL; eval: boolean } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { script: new URL('./worker.js', self), eval: false };
  // require.resolve finds the CommonJS entry; the ESM twin next to it is the one that works in a worker.
  const cjs = createRequire(self).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  const tsxApi = pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  const worker = new URL('./worker.ts', self).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(worker)}); });`;
  return { script: code, eval: true };
}

export interface PoolOptions {
  deadline?: number;
  shrinkUntil?: number;
  /** Total heap budget in bytes, shared out between the workers. */
  maxMemory?: number;
  workers: number;
}

/**
 * Checks keys on worker threads, handing the next key to whichever worker is free (big keys do not hold
 * up the rest). Returns results in task order, or undefined when no worker could start, so the caller
 * checks in-process. A worker that dies (out of memory) turns its key into 'unknown' and is replaced.
 */
export async function runKeyChecksInWorkers(
  tasks: KeyTask[],
  model: { name: string; init: unknown },
  opts: PoolOptions,
): Promise<KeyResult[] | undefined> {
  const perWorkerHeap = opts.maxMemory !== undefined ? Math.floor(opts.maxMemory / opts.workers) : undefined;
  let script: ReturnType<typeof workerScript>;
  try {
    script = workerScript();
  } catch {
    return undefined; // TypeScript sources without tsx installed: check in-process.
  }
  const spawn = (): Promise<Worker | undefined> =>
    new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(script.script, {
          eval: script.eval,
          // A hard cap slightly above the soft one the search checks, so a runaway worker dies alone.
          resourceLimits: perWorkerHeap !== undefined ? { maxOldGenerationSizeMb: Math.ceil((perWorkerHeap * 1.25) / 2 ** 20) + 64 } : undefined,
        });
      } catch {
        resolve(undefined);
        return;
      }
      const timer = setTimeout(() => {
        void worker.terminate();
        resolve(undefined);
      }, STARTUP_TIMEOUT_MS);
      worker.once('message', (m: WorkerReply) => {
        clearTimeout(timer);
        resolve(m.kind === 'ready' ? worker : undefined);
      });
      worker.once('error', (e) => {
        if (process.env.FAULTLINE_DEBUG_POOL) console.error('faultline: checker worker failed to start:', e);
        clearTimeout(timer);
        resolve(undefined);
      });
    });

  const first = await spawn();
  if (!first) return undefined;
  const others = await Promise.all(Array.from({ length: opts.workers - 1 }, spawn));
  const workers = [first, ...others.filter((w): w is Worker => w !== undefined)];

  const results: KeyResult[] = new Array(tasks.length);
  let next = 0;
  const drive = async (initial: Worker): Promise<void> => {
    let worker: Worker | undefined = initial;
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      const request: WorkerRequest = {
        kind: 'check',
        model,
        key: task.key,
        ops: task.ops,
        deadline: opts.deadline,
        shrinkUntil: opts.shrinkUntil,
        maxHeapBytes: perWorkerHeap,
      };
      const outcome = await runOne(worker as Worker, request);
      if (outcome.ok) {
        results[i] = outcome.result;
        continue;
      }
      results[i] = { key: task.key, valid: 'unknown', ops: task.ops.length, ms: 0, algorithm: 'search', reason: outcome.reason };
      void (worker as Worker).terminate();
      worker = await spawn();
      if (!worker) break;
    }
    if (worker) await worker.terminate();
  };
  await Promise.all(workers.map(drive));
  // If every worker died, whatever is left was never checked: say so rather than guess.
  for (let i = 0; i < tasks.length; i++) {
    results[i] ??= { key: tasks[i].key, valid: 'unknown', ops: tasks[i].ops.length, ms: 0, algorithm: 'search', reason: 'worker-failed' };
  }
  return results;
}

type Outcome = { ok: true; result: KeyResult } | { ok: false; reason: string };

function runOne(worker: Worker, request: WorkerRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const onMessage = (m: WorkerReply) => {
      if (m.kind !== 'result') return;
      cleanup();
      resolve({ ok: true, result: m.result });
    };
    const onError = (err: Error) => {
      cleanup();
      const oom = /memory/i.test(err.message) || (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      resolve({ ok: false, reason: oom ? 'memory-limit' : `worker-failed: ${err.message}` });
    };
    const onExit = () => {
      cleanup();
      resolve({ ok: false, reason: 'worker-failed' });
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}
