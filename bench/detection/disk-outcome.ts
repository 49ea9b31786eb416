/**
 * What a target did under disk faults, per run, from the run's own files:
 *   npx tsx bench/detection/disk-outcome.ts <run-dir | bench-dir>...
 * For every damaged node (each start-disk op's `disk` record): what was done (truncate / bitflip / remove,
 * which file), whether it came back (running) or refused to start, and whether it served client ops after
 * its restart; per run: acknowledged writes lost (the set check) and the verdict.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryOp } from '../../src/history/types.js';
import { readHistory } from './fault-timing.js';

export interface DamagedNode {
  node: string;
  atSec: number;
  kind: string;
  file: string;
  /** running | refused to start (...) | left stopped (...) */
  after: string;
  /** Client ops that completed ok through this node after its restart. */
  servedOk: number;
}

export interface DiskRunOutcome {
  runDir: string;
  target: string;
  seed: number;
  verdict: unknown;
  damaged: DamagedNode[];
  /** Acknowledged adds missing from the final reads (set workload), when checked. */
  lostAcknowledged?: number;
}

export function damagedNodes(history: readonly HistoryOp[]): DamagedNode[] {
  const out: DamagedNode[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis' || op.f !== 'start-disk' || op.type !== 'info') continue;
    const disk = ((op.value as { disk?: Record<string, Record<string, unknown>> } | null)?.disk ?? {}) as Record<string, Record<string, unknown>>;
    for (const [node, d] of Object.entries(disk)) {
      const servedOk = history.filter((o) => o.type === 'ok' && o.node === node && o.process !== 'nemesis' && o.time > op.time).length;
      out.push({ node, atSec: op.time / 1e9, kind: String(d.kind ?? 'none'), file: String(d.file ?? '-').split('/').slice(-2).join('/'), after: String(d.after ?? '?'), servedOk });
    }
  }
  return out;
}

export function diskOutcome(runDir: string): DiskRunOutcome {
  const test = JSON.parse(readFileSync(join(runDir, 'test.json'), 'utf8')) as { seed: number; config: { target: string } };
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { valid: unknown; workloadChecks?: { name: string; details?: { lost?: unknown[] | number } }[] };
  const set = results.workloadChecks?.find((c) => c.name === 'set');
  const lost = set?.details?.lost;
  return {
    runDir,
    target: test.config.target,
    seed: test.seed,
    verdict: results.valid,
    damaged: damagedNodes(readHistory(runDir)),
    ...(lost !== undefined ? { lostAcknowledged: Array.isArray(lost) ? lost.length : Number(lost) } : {}),
  };
}

/** Every run directory under `path` (a run dir itself, or a bench dir with runs/<name>/<stamp>/). */
export function runDirsUnder(path: string): string[] {
  if (existsSync(join(path, 'history.jsonl'))) return [path];
  if (!statSync(path).isDirectory()) return [];
  // Symlinks (a test's "latest") point at runs listed anyway.
  return readdirSync(path).flatMap((e) => (!lstatSync(join(path, e)).isSymbolicLink() && statSync(join(path, e)).isDirectory() ? runDirsUnder(join(path, e)) : []));
}

if (process.argv[1]?.endsWith('disk-outcome.ts') || process.argv[1]?.endsWith('disk-outcome.js')) {
  const runs = process.argv.slice(2).flatMap(runDirsUnder).map(diskOutcome).filter((r) => r.damaged.length > 0);
  console.log('| target | seed | verdict | lost acknowledged | damaged node: fault (file) -> after restart, ok ops it served afterwards |');
  console.log('|---|---|---|---|---|');
  for (const r of runs) {
    const nodes = r.damaged.map((d) => `${d.node}@${d.atSec.toFixed(0)}s ${d.kind} (${d.file}) -> ${d.after}, ${d.servedOk} ok`).join('; ');
    console.log(`| ${r.target} | ${r.seed} | ${String(r.verdict)} | ${r.lostAcknowledged ?? '-'} | ${nodes} |`);
  }
  const all = runs.flatMap((r) => r.damaged);
  const count = (p: (d: DamagedNode) => boolean) => all.filter(p).length;
  console.log(
    `\n${runs.length} runs, ${all.length} damaged nodes: ${count((d) => d.after === 'running')} came back, ${count((d) => d.after.startsWith('refused'))} refused to start, ${count((d) => d.after.startsWith('left'))} left stopped; ${count((d) => d.servedOk > 0)} served ok ops afterwards; runs with lost acknowledged writes: ${runs.filter((r) => (r.lostAcknowledged ?? 0) > 0).length}`,
  );
}
