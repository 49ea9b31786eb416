import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ModelCodeError } from './models/model-code-errors.js';
import type { SearchJob } from './schedule.js';
import type { KeyResult, ModelRecipe } from './types.js';
import type { ModelCodeFailure, WorkerReply, WorkerRequest } from './worker.js';

const STARTUP_TIMEOUT_MS = 10_000;

/** How many worker threads to use: `requested` when given (0 = none), else one per core (at most 8). */
export function workerCountFor(jobs: unknown[], requested: number | undefined): number {
  if (jobs.length < 2) return 0;
  if (requested !== undefined) return Math.max(0, Math.min(requested, jobs.length));
  return Math.min(availableParallelism(), jobs.length, 8);
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
  /** Decide every key; otherwise a worker stops at its first invalid key. */
  allKeys: boolean;
}

export interface PoolRun {
  /**
   * Resolves when every worker has finished or been stopped, with the jobs no worker decided and that were
   * not stopped: all of them when no worker could start (the caller then checks them in-process). Rejects
   * with a UsageError when the model file's own code threw on a worker (every worker is then stopped).
   */
  done: Promise<SearchJob[]>;
  /** Ends every worker now (the history is decided). */
  stop(): void;
  /** Why a worker could not rebuild the model (its keys were handed back), once `done` has resolved. */
  rebuildError(): string | undefined;
  /** True once the model's own code threw on a worker: `done` rejects, nothing more is worth checking. */
  failed(): boolean;
}

/**
 * Searches keys on worker threads. The jobs are shared out by size, and each worker interleaves its keys
 * exactly as the main thread does (checker/schedule.ts), sending each result as it is decided; `onResult`
 * returning true stops every worker. A worker that dies (out of memory) turns its undecided keys into
 * 'unknown' with the reason.
 */
export function searchInWorkers(
  jobs: SearchJob[],
  recipe: ModelRecipe,
  opts: PoolOptions,
  onResult: (job: SearchJob, result: KeyResult) => boolean,
): PoolRun {
  const live = new Set<Worker>();
  let stopped = false;
  let rebuildError: string | undefined;
  let modelFailure: ModelCodeError | undefined;
  const stop = () => {
    stopped = true;
    for (const w of live) void w.terminate();
    live.clear();
  };
  const done = (async (): Promise<SearchJob[]> => {
    let script: ReturnType<typeof workerScript>;
    try {
      script = workerScript();
    } catch {
      return jobs; // TypeScript sources without tsx installed: check in-process.
    }
    const shares = shareOut(jobs, opts.workers);
    const perWorkerHeap = opts.maxMemory !== undefined ? Math.floor(opts.maxMemory / shares.length) : undefined;
    const undecided: SearchJob[] = [];
    await Promise.all(
      shares.map(async (share) => {
        const worker = await spawn(script, perWorkerHeap);
        if (!worker || stopped) {
          if (worker) void worker.terminate();
          if (!stopped) undecided.push(...share);
          return;
        }
        live.add(worker);
        const left = await runShare(worker, share, {
          kind: 'check',
          model: recipe,
          jobs: share,
          deadline: opts.deadline,
          shrinkUntil: opts.shrinkUntil,
          maxHeapBytes: perWorkerHeap,
          allKeys: opts.allKeys,
        }, (job, result) => {
          if (stopped) return;
          if (onResult(job, result)) stop();
        });
        live.delete(worker);
        void worker.terminate();
        // The first of an invalid key and a throw wins, as in one thread.
        if (left.fatal && !stopped) {
          modelFailure = new ModelCodeError(left.fatal.message, left.fatal.fix);
          stop();
        }
        if (stopped) return;
        if (left.reason === 'not-started') {
          rebuildError ??= left.error;
          undecided.push(...left.jobs);
        }
        else for (const job of left.jobs) onResult(job, { key: job.key, valid: 'unknown', ops: job.ops.length, ms: 0, algorithm: 'search', reason: left.reason });
      }),
    );
    if (modelFailure) throw modelFailure;
    return stopped ? [] : undecided;
  })();
  // The caller may await `done` only after its own share: a rejection before then is not unhandled.
  done.catch(() => undefined);
  return { done, stop, rebuildError: () => rebuildError, failed: () => modelFailure !== undefined };
}

/** Shares jobs between `n` workers so each gets about the same number of ops (largest first). */
function shareOut(jobs: SearchJob[], n: number): SearchJob[][] {
  const shares: { jobs: SearchJob[]; ops: number }[] = Array.from({ length: Math.max(1, Math.min(n, jobs.length)) }, () => ({ jobs: [], ops: 0 }));
  for (const job of [...jobs].sort((a, b) => b.ops.length - a.ops.length)) {
    const lightest = shares.reduce((a, b) => (b.ops < a.ops ? b : a));
    lightest.jobs.push(job);
    lightest.ops += job.ops.length;
  }
  return shares.map((s) => s.jobs).filter((s) => s.length > 0);
}

function spawn(script: ReturnType<typeof workerScript>, perWorkerHeap: number | undefined): Promise<Worker | undefined> {
  return new Promise((resolve) => {
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
}

/** Runs one worker's share; resolves with the jobs it left undecided and why. */
function runShare(
  worker: Worker,
  share: SearchJob[],
  request: WorkerRequest,
  onResult: (job: SearchJob, result: KeyResult) => void,
): Promise<{ jobs: SearchJob[]; reason: string; error?: string; fatal?: ModelCodeFailure }> {
  const open = new Map(share.map((job) => [job.index, job]));
  return new Promise((resolve) => {
    const finish = (reason: string, error?: string, fatal?: ModelCodeFailure) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve({ jobs: [...open.values()], reason, error, fatal });
    };
    const onMessage = (m: WorkerReply) => {
      if (m.kind === 'result') {
        const job = open.get(m.index);
        if (!job) return;
        open.delete(m.index);
        onResult(job, m.result);
      } else if (m.kind === 'done') {
        // A model the worker could not rebuild: nothing was checked there.
        finish(m.error ? 'not-started' : m.fatal ? 'model-code' : 'stopped', m.error, m.fatal);
      }
    };
    const onError = (err: Error) => {
      const oom = /memory/i.test(err.message) || (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(oom ? 'memory-limit' : `worker-failed: ${err.message}`);
    };
    const onExit = () => finish('worker-failed');
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(request);
  });
}
