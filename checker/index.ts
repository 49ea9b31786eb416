import type { HistoryOp, Operation } from '../src/history/types.js';
import { UsageError } from '../src/core/errors.js';
import type { KeyCheckBudget } from './check-key.js';
import { OperationPairer } from '../src/history/pair.js';
import type { PoolRun } from './pool.js';
import { interleaveSearches, type SearchJob } from './schedule.js';
import type { CheckOptions, CheckResult, KeyResult, KeyVerdict, Model, Verdict } from './types.js';
import { selectionSummary, selectOps } from './usable-ops.js';

export { pairOperations } from '../src/history/pair.js';
export { getModel, modelNames } from './models/index.js';

/** Pairs the raw history (nemesis ops skipped) and checks it; see checkOperations. */
export async function checkHistory(history: HistoryOp[], model: Model, opts: CheckOptions = {}): Promise<CheckResult> {
  const pairer = new OperationPairer();
  for (const op of history) pairer.add(op);
  const result = await checkOperations(pairer.finish(), model, opts);
  if (result.unused) result.unused.nemesis = pairer.counts.nemesis;
  return result;
}

export interface KeyTask {
  key: string | null;
  ops: Operation[];
}

/**
 * Is the history linearizable with respect to `model`? Splits it by key when the model partitions
 * (P-compositionality) and decides each key: first with the model's exact procedure (Model.decide: the
 * register and set procedures) when `algorithm` is auto or register and it applies, then the other keys
 * with the WGL search, interleaved and on worker threads when there is enough work. The first invalid key
 * ends the check (the keys left are 'not-checked') unless `allKeys`. The verdict is false if any key is
 * false, else 'unknown' if any key hit the time or memory budget, else true — never a guess.
 */
export async function checkOperations(ops: Operation[], model: Model, opts: CheckOptions = {}): Promise<CheckResult> {
  const started = Date.now();
  rejectUnsupportedOps(ops, model);
  // The nil-read meaning and the counts of unused ops; `checked` keeps the ops' ids.
  const selected = selectOps(ops, model, opts.nilRead);
  const checked = selected.ops;
  const deadline = opts.timeLimit !== undefined ? started + opts.timeLimit * 1000 : undefined;
  // All counterexamples together get about this long to shrink (or the time limit, if longer).
  const shrinkUntil = started + Math.max(SHRINK_TOTAL_MS, (opts.timeLimit ?? 0) * 1000);
  const algorithm = opts.algorithm ?? 'auto';
  const parts: KeyTask[] = model.partition
    ? [...model.partition(checked)].map(([key, part]) => ({ key, ops: part }))
    : [{ key: null, ops: checked }];

  const allKeys = opts.allKeys ?? false;
  const results: (KeyResult | undefined)[] = new Array(parts.length);
  const toSearch: SearchJob[] = [];
  const notes = new Map<number, string>();
  let invalid = false;
  // Cheap keys first: the model's exact procedure (register, set) decides a key in milliseconds, so every
  // key it applies to is decided before any search starts, and an invalid one ends the check.
  for (let i = 0; i < parts.length && !(invalid && !allKeys); i++) {
    const part = parts[i];
    if (algorithm !== 'search') {
      const t0 = Date.now();
      const r = await model.decide?.(part.ops, part.key, opts);
      if (r) {
        // The set procedure builds its own counterexample (on a projection; never the whole history).
        if (r.valid === false && !r.counterexample && r.algorithm === 'register') {
          // Loaded only for an invalid key: most checks never need the counterexample code.
          const { counterexampleBySearch } = await import('./counterexample.js');
          r.counterexample = counterexampleBySearch(model, part.key, part.ops);
        }
        if (r.ms === undefined) r.ms = Date.now() - t0;
        if (algorithm === 'register' && r.algorithm !== 'register') {
          const note = `--algorithm register does not apply to the ${model.name} model: decided by the ${r.algorithm} procedure instead`;
          r.note = r.note ? `${note}. ${r.note}` : note;
        }
        results[i] = r;
        if (r.valid === false) invalid = true;
        continue;
      }
      if (algorithm === 'register') {
        notes.set(i, '--algorithm register does not apply here (not a register model, or written values repeat): decided by the search instead');
      }
    }
    toSearch.push({ index: i, key: part.key, ops: part.ops });
  }
  if (!(invalid && !allKeys) && toSearch.length > 0) {
    await searchKeys(toSearch, model, opts, { deadline, shrinkUntil, maxHeapBytes: opts.maxMemory }, (job, r) => {
      results[job.index] = r;
      return r.valid === false && !allKeys;
    });
  }
  const keys: KeyResult[] = parts.map((part, i) => {
    const r = results[i] ?? notChecked(part);
    const note = notes.get(i);
    if (note && r.valid !== 'not-checked') r.note = note;
    return r;
  });
  const valid = mergeVerdicts(keys.map((k) => k.valid));
  const result: CheckResult = { valid, model: model.name, ops: ops.length, ms: Date.now() - started, keys, ...selectionSummary(selected) };
  const firstInvalid = keys.find((k) => k.valid === false);
  if (firstInvalid?.counterexample) result.counterexample = firstInvalid.counterexample;
  const firstUnknown = keys.find((k) => k.valid === 'unknown');
  if (valid === 'unknown' && firstUnknown?.reason) result.reason = firstUnknown.reason;
  return result;
}

/**
 * false beats unknown beats true (Jepsen's merge-valid). A key not checked counts as unknown: it is only
 * ever left out because another key is already false.
 */
export function mergeVerdicts(verdicts: KeyVerdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes('unknown') || verdicts.includes('not-checked')) return 'unknown';
  return true;
}

export const NOT_CHECKED_REASON = 'not checked: the history is already invalid';

function notChecked(part: KeyTask): KeyResult {
  return { key: part.key, valid: 'not-checked', ops: part.ops.length, ms: 0, algorithm: 'search', reason: NOT_CHECKED_REASON };
}

function rejectUnsupportedOps(ops: Operation[], model: Model): void {
  if (!model.checkOp) return;
  for (const op of ops) {
    if (op.status === 'fail') continue;
    const problem = model.checkOp(op);
    if (problem) throw new UsageError(`history index ${op.invokeIndex}: ${problem}`);
  }
}

const SHRINK_TOTAL_MS = 10_000;

/** In-process checking this long without deciding every key makes the rest worth sharing with workers. */
const IN_PROCESS_HEAD_START_MS = 1000;

/**
 * Searches the keys, interleaved (checker/schedule.ts) so the first invalid key is found whatever the hard
 * keys cost; `onResult` returning true ends the search, and the keys left are not checked. With `workers`
 * unset, keys are searched in this thread first, and the undecided ones are shared with worker threads
 * only after a second: starting workers and copying a history to them costs more than checking it when
 * keys are easy (measured: 1M kv ops, 2.8 s in-process vs 4.2 s on 2 workers). This thread keeps the keys
 * it has gone furthest with. An explicit `workers` count uses the pool from the start; 0 never does.
 */
async function searchKeys(
  jobs: SearchJob[],
  model: Model,
  opts: CheckOptions,
  budget: KeyCheckBudget,
  onResult: (job: SearchJob, result: KeyResult) => boolean,
): Promise<void> {
  const allKeys = opts.allKeys ?? false;
  let decided = false;
  const report = (job: SearchJob, r: KeyResult): boolean => {
    if (decided) return true;
    if (onResult(job, r)) decided = true;
    return decided;
  };
  const recipe = model.worker;
  // Worker threads are loaded only when the model can use them (start-up of a small check).
  const threads = recipe && jobs.length > 1 && opts.workers !== 0 ? await import('./pool.js') : undefined;
  const poolOptions = { deadline: budget.deadline, shrinkUntil: budget.shrinkUntil, maxMemory: opts.maxMemory, allKeys };
  let rest = jobs;
  let pool: PoolRun | undefined;
  if (threads && recipe && opts.workers !== undefined && threads.workerCountFor(jobs, opts.workers) > 0) {
    pool = threads.searchInWorkers(jobs, recipe, { ...poolOptions, workers: threads.workerCountFor(jobs, opts.workers) }, report);
    rest = await pool.done;
  } else if (threads && recipe && opts.workers === undefined && threads.workerCountFor(jobs, undefined) > 1) {
    const handOffAt = Date.now() + IN_PROCESS_HEAD_START_MS;
    const left = await interleaveSearches(model, jobs, budget, {
      onResult: report,
      stopped: () => decided || (pool?.failed() ?? false),
      handOff: (open) => {
        if (pool || Date.now() < handOffAt) return [];
        const workers = threads.workerCountFor(open, undefined);
        // Keep the keys this thread has gone furthest with; give the others (least progress lost) away.
        const byProgress = [...open].sort((a, b) => b.statesExplored - a.statesExplored);
        const keep = Math.max(1, Math.round(open.length / (workers + 1)));
        const given = byProgress.slice(keep).map((o) => o.job);
        pool = threads.searchInWorkers(given, recipe, { ...poolOptions, workers }, report);
        return given;
      },
    }).catch((e: unknown) => {
      // The model's own code threw here (a UsageError for the caller): the workers' keys are moot.
      pool?.stop();
      throw e;
    });
    if (decided) pool?.stop();
    const unstarted = pool ? await pool.done : [];
    rest = [...(decided ? [] : left), ...unstarted];
  }
  if (decided || rest.length === 0) return;
  // Workers could not start (e.g. no loader for TypeScript), or were not asked for: this thread does it.
  // A model that loads here but not on a worker (a user's file with thread-local setup) is said, not hidden.
  const problem = pool?.rebuildError();
  const note = problem && `checked in this thread: the model could not be loaded on a worker thread (${problem})`;
  const reportHere = note ? (job: SearchJob, r: KeyResult) => report(job, { ...r, note: r.note ? `${note}. ${r.note}` : note }) : report;
  await interleaveSearches(model, rest, budget, { onResult: reportHere });
}
