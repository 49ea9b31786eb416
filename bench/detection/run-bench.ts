/**
 * Runs a bench part: for each chosen recipe, M runs with seeds base, base+1, ... (one cluster at a time:
 * they share the machine), each a full `faultline run` in this process. After every run the bench's
 * results.json and results.md are rewritten, so an interrupted bench keeps what it measured.
 *
 * Layout: <store>/bench/<part>-<timestamp>/{results.json, results.md, runs/<name>/<timestamp>/...}
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/core/errors.js';
import type { RunDeps } from '../../src/run/adapters.js';
import { resolveConfig, type RunConfig, type RunConfigInput } from '../../src/run/config.js';
import { executeRun } from '../../src/run/execute-run.js';
import { inShard, shardLabel, type Shard } from '../../src/run/shard.js';
import { timestampName } from '../../src/run/store.js';
import { findAnomaly, parseHistory } from './anomaly.js';
import { BENCH_DEFAULTS, DETECTION_RECIPES, FINDING_RECIPES, KNOB_NAMES, SOAK_RECIPES, type RunRecipe } from './recipes.js';
import { benchMarkdown, summarize, type BenchPart, type BenchRun } from './summary.js';

export interface BenchOptions {
  part: BenchPart;
  /** Knob names (detection) or soak labels / targets (soak); all when absent. */
  only?: string[];
  runs: number;
  timeLimit: number;
  baseSeed: number;
  /** The store root; the bench writes under <store>/bench/. */
  store: string;
  /** Applied over every recipe (e.g. nodes: 3 for a short CI run). */
  overrides?: RunConfigInput;
  /** The command line that regenerates this bench (written into results.md). */
  command: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Run only this shard's runs of the campaign (`faultline store merge` joins the shards' stores). */
  shard?: Shard;
}

export interface BenchOutcome {
  dir: string;
  runs: BenchRun[];
}

/** The recipes a part runs, filtered by `only`; an unknown name is a UsageError listing the known ones. */
export function selectRecipes(part: BenchPart, only: readonly string[] | undefined): RunRecipe[] {
  if (part === 'detection') {
    if (!only || only.length === 0) return [...KNOB_NAMES.map((k) => DETECTION_RECIPES[k]), ...FINDING_RECIPES];
    // A knob name, or a real-system finding by label ("nats cas race") or target ("nats").
    const pick = (k: string): RunRecipe[] =>
      k in DETECTION_RECIPES ? [DETECTION_RECIPES[k as keyof typeof DETECTION_RECIPES]] : FINDING_RECIPES.filter((r) => r.label === k || r.label.startsWith(`${k} `));
    const unknown = only.filter((k) => pick(k).length === 0);
    if (unknown.length > 0) {
      throw new UsageError(`unknown bug knob(s) or finding(s): ${unknown.join(', ')}`, `use --knobs with any of: ${[...KNOB_NAMES, ...FINDING_RECIPES.map((r) => r.label)].join(', ')}`);
    }
    return only.flatMap(pick);
  }
  if (!only || only.length === 0) return SOAK_RECIPES;
  // Soak cases are chosen by target ("etcd") or by full label ("raftkv kill").
  const picked = SOAK_RECIPES.filter((r) => only.some((o) => r.label === o || r.label.startsWith(`${o} `)));
  if (picked.length === 0) {
    throw new UsageError(`no soak case matches ${only.join(', ')}`, `use --cases with a target (raftkv, etcd) or a label: ${SOAK_RECIPES.map((r) => r.label).join(', ')}`);
  }
  return picked;
}

/** "set / kill-all every 4 s / lazy-flush-ms=2000" */
export function describeSetup(config: RunConfig): string {
  const opts = Object.entries(config.targetOptions)
    .filter(([k]) => k !== 'bugs')
    .map(([k, v]) => `${k}=${v}`);
  // Several families run side by side unless one-at-a-time: the table says which.
  const together = config.nemesis.length > 1 ? (config.nemesisMode === 'one-at-a-time' ? ' one at a time' : ' composed') : '';
  const nemesis = config.nemesis.length > 0 ? `${config.nemesis.join('+')}${together} every ${config.nemesisInterval} s` : 'no faults';
  return [config.workload, nemesis, ...(opts.length > 0 ? [opts.join(' ')] : [])].join(' / ');
}

/** The configuration of run `i` of `recipe` (validated like `faultline run` flags). */
export function benchRunConfig(options: BenchOptions, recipe: RunRecipe, i: number, runsDir: string): RunConfig {
  const seed = options.baseSeed + i;
  const name = `${options.part}-${recipe.label.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  const input = {
    ...BENCH_DEFAULTS,
    ...recipe.config,
    ...options.overrides,
    targetOptions: { ...(recipe.config.targetOptions ?? {}), ...(options.overrides?.targetOptions ?? {}) },
    timeLimit: options.timeLimit,
    seed,
    store: runsDir,
    name,
  };
  return resolveConfig({}, input as RunConfigInput, () => seed);
}

const quiet = { write: () => true, isTTY: false };

export async function runBench(options: BenchOptions, deps: RunDeps): Promise<BenchOutcome> {
  const recipes = selectRecipes(options.part, options.only);
  const startedAt = new Date();
  const shardSuffix = options.shard ? `-shard${options.shard.index}of${options.shard.count}` : '';
  const dir = join(options.store, 'bench', `${options.part}-${timestampName(startedAt)}${shardSuffix}`);
  const runsDir = join(dir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const runs: BenchRun[] = [];
  const save = () => {
    writeFileSync(
      join(dir, 'results.json'),
      JSON.stringify({ part: options.part, startedAt: startedAt.toISOString(), command: options.command, ...(options.shard ? { shard: shardLabel(options.shard) } : {}), summary: summarize(runs), runs }, null, 2) + '\n',
    );
    writeFileSync(join(dir, 'results.md'), benchMarkdown(options.part, options.command, runs, startedAt.toISOString()));
  };
  save();
  // The campaign's fixed order: run i of every recipe before run i+1 of any, so a bench cut short still
  // covers every recipe; `position` numbers it, and a shard takes every n-th position.
  const plan: { i: number; recipe: RunRecipe; position: number }[] = [];
  for (let i = 0; i < options.runs; i++) for (const recipe of recipes) plan.push({ i, recipe, position: plan.length });
  const mine = plan.filter((p) => inShard(p.position, options.shard));
  for (const { i, recipe, position } of mine) {
    if (options.signal?.aborted) return { dir, runs };
    const config = benchRunConfig(options, recipe, i, runsDir);
    options.log(`[${runs.length + 1}/${mine.length}] ${recipe.label} seed ${config.seed} (${describeSetup(config)}, ${config.timeLimit} s)`);
    const run = { ...(await runOne(options.part, recipe, config, deps, options.signal)), position };
    runs.push(run);
    options.log(`    -> ${String(run.verdict)}${run.firstAnomalySec !== undefined ? ` at ${run.firstAnomalySec.toFixed(1)} s` : ''}: ${run.said}`);
    save();
  }
  return { dir, runs };
}

async function runOne(part: BenchPart, recipe: RunRecipe, config: RunConfig, deps: RunDeps, signal?: AbortSignal): Promise<BenchRun> {
  const base = { part, label: recipe.label, setup: describeSetup(config), seed: config.seed, timeLimit: config.timeLimit };
  // One controller per run, linked to the bench's signal and unlinked afterwards: executeRun listens on
  // the signal it gets, and a bench of many runs must not pile listeners onto one signal.
  const interrupt = new AbortController();
  const forward = () => interrupt.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const outcome = await executeRun(config, deps, { stdout: quiet, stderr: quiet, interrupt: interrupt.signal });
    let history: ReturnType<typeof parseHistory> = [];
    try {
      history = parseHistory(readFileSync(join(outcome.runDir, 'history.jsonl'), 'utf8'));
    } catch {
      // No history: the finding falls back to results alone (no set anomaly time).
    }
    const finding = findAnomaly(outcome.results, history);
    return {
      ...base,
      command: outcome.info.command,
      runDir: outcome.runDir,
      exitCode: outcome.exitCode,
      verdict: finding.verdict,
      ...(finding.firstAnomalySec !== undefined ? { firstAnomalySec: finding.firstAnomalySec } : {}),
      said: finding.said,
      ops: { ok: outcome.results.stats.ok, fail: outcome.results.stats.fail, info: outcome.results.stats.info },
      durationMs: outcome.results.stats.durationMs,
    };
  } catch (err) {
    // The run could not be carried out (cluster never ready, Docker gone): an unknown, with the reason.
    return {
      ...base,
      command: '',
      runDir: '',
      exitCode: 3,
      verdict: 'unknown',
      said: `run error: ${err instanceof Error ? err.message : String(err)}`,
      ops: { ok: 0, fail: 0, info: 0 },
      durationMs: 0,
    };
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}
