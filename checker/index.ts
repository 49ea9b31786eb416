import type { HistoryOp, Operation } from '../src/history/types.js';
import { UsageError } from '../src/cli/errors.js';
import { checkKeyBySearch, counterexampleBySearch } from './check-key.js';
import { OperationPairer } from '../src/history/pair.js';
import { modelRecipe } from './models/index.js';
import { runKeyChecksInWorkers, workerCountFor } from './pool.js';
import { decideRegister } from './register/decide.js';
import { decideSet } from './set/decide.js';
import type { CheckOptions, CheckResult, KeyResult, Model, Verdict } from './types.js';
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
 * (P-compositionality) and decides each key: first with the register procedure (issue 9), or for the set
 * model the set procedure (checker/set), when `algorithm` is auto or register and it applies, otherwise
 * with the WGL search, on worker threads when there is enough work. The verdict is false if any key is
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

  const decided = new Map<KeyTask, KeyResult>();
  const toSearch: KeyTask[] = [];
  const notes = new Map<KeyTask, string>();
  for (const part of parts) {
    if (algorithm !== 'search') {
      const t0 = Date.now();
      const r = decideRegister(part.ops, model, part.key, opts) ?? decideSet(part.ops, model, part.key, opts);
      if (r) {
        // The set procedure builds its own counterexample (on a projection; never the whole history).
        if (r.valid === false && !r.counterexample && r.algorithm === 'register') {
          r.counterexample = counterexampleBySearch(model, part.key, part.ops);
        }
        if (r.ms === undefined) r.ms = Date.now() - t0;
        if (algorithm === 'register' && r.algorithm === 'set') {
          const note = '--algorithm register does not apply to the set model: decided by the set procedure instead';
          r.note = r.note ? `${note}. ${r.note}` : note;
        }
        decided.set(part, r);
        continue;
      }
      if (algorithm === 'register') {
        notes.set(part, '--algorithm register does not apply here (not a register model, or written values repeat): decided by the search instead');
      }
    }
    toSearch.push(part);
  }

  const searched = await searchKeys(toSearch, model, opts, { deadline, shrinkUntil });
  const keys: KeyResult[] = parts.map((part) => {
    const r = decided.get(part) ?? (searched.get(part) as KeyResult);
    const note = notes.get(part);
    if (note) r.note = note;
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

/** false beats unknown beats true (Jepsen's merge-valid). */
export function mergeVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes('unknown')) return 'unknown';
  return true;
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

/** In-process checking this long without finishing makes the rest of the keys worth sending to workers. */
const IN_PROCESS_HEAD_START_MS = 1000;
/** ...and the remaining keys, at the pace so far, would take at least this long in this thread. */
const WORTH_PARALLEL_MS = 3000;

/**
 * Searches each key. With `workers` unset, keys are checked in this thread first, and the remaining keys
 * go to worker threads only when, after a second, they still look like seconds of work: copying a large history
 * to workers costs more than checking it when keys are easy (measured: 1M kv ops, 2.8 s in-process vs
 * 4.2 s on 2 workers), while hard keys gain from the parallelism. An explicit `workers` count uses the
 * pool from the start; 0 never does.
 */
async function searchKeys(
  tasks: KeyTask[],
  model: Model,
  opts: CheckOptions,
  limits: { deadline?: number; shrinkUntil: number },
): Promise<Map<KeyTask, KeyResult>> {
  const { deadline, shrinkUntil } = limits;
  const out = new Map<KeyTask, KeyResult>();
  const recipe = modelRecipe(model);
  const started = Date.now();
  let next = 0;
  const totalOps = tasks.reduce((n, t) => n + t.ops.length, 0);
  let doneOps = 0;
  const adaptive = opts.workers === undefined;
  const poolNow = !adaptive && (opts.workers ?? 0) > 0;
  while (next < tasks.length && !poolNow) {
    const task = tasks[next++];
    out.set(task, checkKeyBySearch(model, task.key, task.ops, { deadline, maxHeapBytes: opts.maxMemory, shrinkUntil }));
    // Yield between keys so a long batch does not starve the event loop.
    if (tasks.length > 1) await new Promise<void>((resolve) => setImmediate(resolve));
    if (adaptive && next < tasks.length) {
      const elapsed = Date.now() - started;
      doneOps += task.ops.length;
      // Hand over only when the rest, at the pace so far, would take long enough to repay copying it.
      if (elapsed > IN_PROCESS_HEAD_START_MS && (elapsed / doneOps) * (totalOps - doneOps) > WORTH_PARALLEL_MS) break;
    }
  }
  const rest = tasks.slice(next);
  if (rest.length === 0) return out;
  const workers = recipe ? workerCountFor(rest, opts.workers) : 0;
  if (workers > 0 && recipe) {
    const results = await runKeyChecksInWorkers(rest, recipe, { deadline, shrinkUntil, maxMemory: opts.maxMemory, workers });
    if (results) {
      rest.forEach((t, i) => out.set(t, results[i]));
      return out;
    }
    // Workers could not start (e.g. no loader for TypeScript): go on in this thread.
  }
  for (const task of rest) {
    out.set(task, checkKeyBySearch(model, task.key, task.ops, { deadline, maxHeapBytes: opts.maxMemory, shrinkUntil }));
    if (rest.length > 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}
