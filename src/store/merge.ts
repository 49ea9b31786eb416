/**
 * `faultline store merge`: the stores of a campaign's shards (one per CI job) joined into one store: every
 * run directory copied to <out>/<test>/<timestamp>, each bench part's runs joined into one results.json /
 * results.md in the campaign's own order (so the table is the one an unsharded campaign writes), `latest`
 * links re-pointed, and <out>/index.html rendered.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { benchMarkdown, summarize, type BenchPart, type BenchRun, type LabelRow } from '../../bench/detection/summary.js';
import { UsageError } from '../cli/errors.js';
import type { RunInfo } from './run-files.js';

export interface MergedPart {
  part: BenchPart;
  dir: string;
  runs: BenchRun[];
  rows: LabelRow[];
  /** Shards seen ("1/4", ...) and, when some of n are missing, which. */
  shards: string[];
  missingShards: number[];
}

export interface MergeOutcome {
  out: string;
  runDirs: number;
  parts: MergedPart[];
}

const isDir = (p: string) => existsSync(p) && lstatSync(p).isDirectory();
const subdirs = (p: string) => (isDir(p) ? readdirSync(p).filter((n) => !n.startsWith('.') && isDir(join(p, n))) : []);

/** Copies one run directory into <out>/<test>/, keeping its timestamp name (suffixed when taken). */
function copyRun(src: string, out: string, test: string): string {
  const testDir = join(out, test);
  mkdirSync(testDir, { recursive: true });
  let name = basename(src);
  for (let i = 1; existsSync(join(testDir, name)); i++) name = `${basename(src)}-${i}`;
  cpSync(src, join(testDir, name), { recursive: true, verbatimSymlinks: true });
  return join(testDir, name);
}

function pointLatest(testDir: string): void {
  const started = (stamp: string) => {
    try {
      return Date.parse((JSON.parse(readFileSync(join(testDir, stamp, 'test.json'), 'utf8')) as RunInfo).startedAt) || 0;
    } catch {
      return 0;
    }
  };
  const newest = subdirs(testDir).sort((a, b) => started(b) - started(a) || b.localeCompare(a))[0];
  if (!newest) return;
  const tmp = join(testDir, `.latest-${process.pid}`);
  try {
    if (existsSync(tmp)) unlinkSync(tmp);
    symlinkSync(newest, tmp, 'dir');
    renameSync(tmp, join(testDir, 'latest'));
  } catch {
    // No symlinks here: the runs are merged all the same.
  }
}

interface BenchFile {
  part: BenchPart;
  command: string;
  startedAt: string;
  shard?: string;
  runs: BenchRun[];
}

/** The command without the flags that differ between shards. */
function campaignCommand(command: string): string {
  return command.replace(/\s--shard(=|\s+)\S+/g, '').replace(/\s--store(=|\s+)\S+/g, '');
}

export async function mergeStores(inputs: readonly string[], out: string, renderIndex?: (store: string) => unknown): Promise<MergeOutcome> {
  if (inputs.length === 0) throw new UsageError('name the stores to merge', 'faultline store merge shard1 shard2 ... --out merged');
  for (const input of inputs) if (!isDir(input)) throw new UsageError(`not a directory: ${input}`, 'pass the --store directory of each shard');
  if (inputs.some((i) => resolve(i) === resolve(out))) throw new UsageError('--out must be a new directory, not one of the inputs');
  mkdirSync(out, { recursive: true });
  let runDirs = 0;
  const benches = new Map<BenchPart, { files: BenchFile[]; runs: BenchRun[] }>();
  for (const input of inputs) {
    for (const test of subdirs(input)) {
      if (test === 'bench' || test === 'clusters') continue;
      for (const stamp of subdirs(join(input, test))) {
        if (!existsSync(join(input, test, stamp, 'test.json'))) continue;
        copyRun(join(input, test, stamp), out, test);
        runDirs++;
      }
    }
    for (const benchDir of subdirs(join(input, 'bench'))) {
      const file = join(input, 'bench', benchDir, 'results.json');
      if (!existsSync(file)) continue;
      const bench = JSON.parse(readFileSync(file, 'utf8')) as BenchFile;
      const entry = benches.get(bench.part) ?? { files: [], runs: [] };
      entry.files.push(bench);
      for (const run of bench.runs) {
        // A run's directory moves into the merged store; a run that never made one keeps ''.
        // Found by its last two path parts under this input (a CI job's paths differ from the merger's).
        const tail = run.runDir ? run.runDir.split(/[\\/]/).filter(Boolean).slice(-2) : [];
        const local = tail.length === 2 ? join(input, 'bench', benchDir, 'runs', ...tail) : '';
        const from = local && isDir(local) ? local : run.runDir && isDir(run.runDir) ? run.runDir : '';
        let runDir = '';
        if (from && isDir(from)) {
          runDir = copyRun(from, out, basename(join(from, '..')));
          runDirs++;
        }
        entry.runs.push({ ...run, runDir });
      }
      benches.set(bench.part, entry);
    }
  }
  for (const test of subdirs(out)) if (test !== 'bench') pointLatest(join(out, test));

  const parts: MergedPart[] = [];
  for (const [part, { files, runs }] of benches) {
    runs.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.seed - b.seed || a.label.localeCompare(b.label));
    const shards = [...new Set(files.map((f) => f.shard).filter((s): s is string => Boolean(s)))].sort();
    const count = shards.length > 0 ? Number(shards[0].split('/')[1]) : 0;
    const seen = new Set(shards.map((s) => Number(s.split('/')[0])));
    const missingShards = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    const startedAt = files.map((f) => f.startedAt).sort()[0];
    const command = campaignCommand(files[0].command);
    const dir = join(out, 'bench', `${part}-merged`);
    mkdirSync(dir, { recursive: true });
    const rows = summarize(runs);
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ part, startedAt, command, mergedFrom: inputs.map((i) => resolve(i)), shards, summary: rows, runs }, null, 2) + '\n');
    writeFileSync(join(dir, 'results.md'), benchMarkdown(part, command, runs, startedAt));
    parts.push({ part, dir, runs, rows, shards, missingShards });
  }
  await renderIndex?.(out);
  return { out, runDirs, parts };
}
