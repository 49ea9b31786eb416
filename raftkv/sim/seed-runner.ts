import type { BugName } from '../bugs.js';
import { runSimulation, type SimOptions, type SimResult } from './sim-cluster.js';

/** The seed to replay alone, from RAFTKV_SIM_SEED (and its knobs from RAFTKV_SIM_BUGS). */
export function replaySeed(): SimOptions | undefined {
  const env = process.env;
  if (!env.RAFTKV_SIM_SEED) return undefined;
  return {
    seed: Number(env.RAFTKV_SIM_SEED),
    bugs: (env.RAFTKV_SIM_BUGS ?? '').split(',').filter(Boolean) as BugName[],
    nodes: env.RAFTKV_SIM_NODES ? Number(env.RAFTKV_SIM_NODES) : undefined,
    clients: env.RAFTKV_SIM_CLIENTS ? Number(env.RAFTKV_SIM_CLIENTS) : undefined,
  };
}

/** How to re-run one failing seed, with its trace printed. */
export function replayHint(seed: number, opts: Omit<SimOptions, 'seed'> = {}): string {
  const env = [
    opts.bugs?.length ? `RAFTKV_SIM_BUGS=${opts.bugs.join(',')}` : '',
    opts.nodes ? `RAFTKV_SIM_NODES=${opts.nodes}` : '',
    opts.clients ? `RAFTKV_SIM_CLIENTS=${opts.clients}` : '',
    `RAFTKV_SIM_SEED=${seed}`,
  ].filter(Boolean);
  return `replay: ${env.join(' ')} npx vitest run raftkv/sim`;
}

/** Runs seeds [from, to); returns the failures. */
export function runSeeds(from: number, to: number, base: Omit<SimOptions, 'seed'>): SimResult[] {
  const failures: SimResult[] = [];
  for (let seed = from; seed < to; seed++) {
    const r = runSimulation({ ...base, seed });
    if (r.violations.length > 0) failures.push(r);
  }
  return failures;
}

/** First seed in [from, to) whose run shows a violation, or undefined. */
export function firstFailingSeed(from: number, to: number, base: Omit<SimOptions, 'seed'>): SimResult | undefined {
  for (let seed = from; seed < to; seed++) {
    const r = runSimulation({ ...base, seed });
    if (r.violations.length > 0) return r;
  }
  return undefined;
}
