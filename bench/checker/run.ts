/**
 * Checker benchmarks (not timed tests). Generates histories into store/bench/ (git-ignored), then runs the
 * compiled CLI (`faultline check --json`) under /usr/bin/time for whole-process wall time and peak RSS.
 *   npm run build && node dist/bench/checker/run.js [register|kv|corpus|set|all] [--cli dist/src/cli/main.js]
 * (or `npx tsx bench/checker/run.ts ...`; the CLI it measures is always the compiled one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHistoryFile, type GenerateOptions } from './generate.js';
import { simulateSetHistory } from '../../checker/set/testing/simulate-set.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cli: { type: 'string', default: 'dist/src/cli/main.js' }, dir: { type: 'string', default: 'store/bench' } },
});
const cli = resolve(values.cli as string);
const dir = resolve(values.dir as string);
const which = positionals[0] ?? 'all';
if (!existsSync(cli)) {
  console.error(`bench: ${cli} not found; run \`npm run build\` first (or pass --cli)`);
  process.exit(3);
}
mkdirSync(dir, { recursive: true });

const base: GenerateOptions = { clients: 10, ops: 10_000, keys: 1, anomalyRate: 0, infoRate: 0, seed: 1, cas: true, uniqueValues: true, latency: 2 };

interface Measured {
  wallS: number;
  maxRssMb: number;
  lines: Record<string, unknown>[];
}

function measure(args: string[]): Measured {
  // Exit 1/2 (invalid/unknown) is an answer, not a failure of the benchmark, so read status-agnostic output.
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, cli, 'check', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const timeLine = /TIME ([\d.]+) (\d+)/.exec(run.stderr) ?? [];
  return {
    wallS: Number(timeLine[1]),
    maxRssMb: Number(timeLine[2]) / 1024,
    lines: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function report(name: string, ops: number, m: Measured): void {
  const checkMs = m.lines.reduce((s, l) => s + Number(l.ms ?? 0), 0);
  const states = m.lines.reduce((s, l) => s + Number(l.statesExplored ?? 0), 0);
  const verdicts = m.lines.reduce<Record<string, number>>((acc, l) => ((acc[String(l.valid)] = (acc[String(l.valid)] ?? 0) + 1), acc), {});
  console.log(
    `${name}: ${ops} ops, process ${m.wallS.toFixed(2)} s, check ${(checkMs / 1000).toFixed(2)} s, ` +
      `${Math.round(ops / (checkMs / 1000 || 1))} ops/s checked, peak RSS ${m.maxRssMb.toFixed(0)} MB, ` +
      `states ${states}, verdicts ${JSON.stringify(verdicts)}`,
  );
}

async function ensure(file: string, o: GenerateOptions): Promise<string> {
  const path = join(dir, file);
  if (!existsSync(path)) await generateHistoryFile(path, o);
  return path;
}

if (which === 'register' || which === 'all') {
  const f = await ensure('register-10c-10k.jsonl', base);
  for (const algorithm of ['auto', 'search']) report(`register 10 clients (${algorithm})`, 10_000, measure([f, '--model', 'cas-register', '--json', '--algorithm', algorithm]));
}
if (which === 'kv' || which === 'all') {
  const f = await ensure('kv-1000k-32c-1m.jsonl', { ...base, clients: 32, ops: 1_000_000, keys: 1000, infoRate: 0.01 });
  for (const algorithm of ['auto', 'search']) report(`kv 1000 keys 32 clients (${algorithm})`, 1_000_000, measure([f, '--model', 'kv', '--json', '--algorithm', algorithm]));
}
if (which === 'corpus' || which === 'all') {
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus, { recursive: true });
  for (let i = 0; i < 100; i++) {
    // A few anomalies and crashed ops, like a real corpus; repeated values force the search (no register shortcut).
    await ensure(join('corpus', `h${String(i).padStart(3, '0')}.jsonl`), {
      ...base, clients: 5, ops: 1000, seed: 100 + i, infoRate: 0.02, anomalyRate: i % 10 === 0 ? 0.01 : 0, uniqueValues: i % 2 === 0,
    });
  }
  const files = readdirSync(corpus).filter((f) => f.endsWith('.jsonl')).map((f) => join(corpus, f));
  report('corpus 100 x 1000 ops (auto, --time-limit 10)', 100_000, measure([...files, '--model', 'cas-register', '--json', '--time-limit', '10']));
  report('corpus 100 x 1000 ops (search, --time-limit 10)', 100_000, measure([...files, '--model', 'cas-register', '--json', '--time-limit', '10', '--algorithm', 'search']));
}
if (which === 'set' || which === 'all') {
  // One grow-only set: whole-set reads among adds, many indeterminate adds (as under refused clients).
  const f = join(dir, 'set-10c-20k.jsonl');
  if (!existsSync(f)) {
    const history = simulateSetHistory({ clients: 10, ops: 20_000, seed: 1, readRate: 0.1, infoRate: 0.15, failRate: 0.05 });
    writeFileSync(f, history.map((op) => JSON.stringify(op)).join('\n') + '\n');
  }
  report('set 10 clients (auto: set procedure)', 20_000, measure([f, '--model', 'set', '--json']));
  report('set 10 clients (search, --time-limit 30)', 20_000, measure([f, '--model', 'set', '--json', '--algorithm', 'search', '--time-limit', '30']));
}
