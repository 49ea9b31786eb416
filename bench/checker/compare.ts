/**
 * Before/after figures for the checker, whole process (not timed tests): start-up, a Jepsen-style etcd
 * corpus of 100 files, the many-keys-several-broken kv-append case (time to the verdict), and one-key
 * cases only the search decides. Each case runs `--runs` times per CLI, the two CLIs alternating, and the
 * medians are printed with their ratio; a verdict that differs between the CLIs is flagged.
 *   npm run build
 *   npx tsx bench/checker/compare.ts --before /path/to/old/dist/src/cli/main.js [--after bin/faultline.js]
 *     [--runs 5] [--dir store/bench/compare] [--out FILE] [case ...]
 * A CLI that is a launcher (a file starting with `#!/bin/sh`, as bin/faultline.js) is executed as an installed
 * bin is, so the node flags it starts with are part of the figures; a .js entry is run as `node <file>`.
 * Cases: version, check-two-ops, etcd-corpus, many-keys, one-key-register, one-key-kv-append (default: all).
 * An old build to compare with: `git worktree add /tmp/old <commit> && cd /tmp/old && npm ci && npm run build`,
 * or a copy of today's build taken before a change: `npm run build && cp -r dist /tmp/fl-dist-before &&
 * cp package.json /tmp/fl-dist-before/ && ln -s "$PWD/node_modules" /tmp/fl-dist-before/node_modules`
 * (package.json for --version, node_modules for its imports), then `--before /tmp/fl-dist-before/src/cli/main.js`.
 * Every sample, the medians, the Node version and the load average before and after each case are also
 * written as JSON to --out (default <dir>/compare-<time>.json), so a note can quote them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeEtcdCorpus } from './etcd-corpus.js';
import { kvAppendHistory } from './kv-append-history.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: 'bin/faultline.js' },
    runs: { type: 'string', default: '5' },
    dir: { type: 'string', default: 'store/bench/compare' },
    out: { type: 'string' },
  },
});
if (!values.before) {
  console.error('bench: --before CLI is required (the compiled main.js of the build to compare with)');
  process.exit(3);
}
const clis = { before: resolve(values.before), after: resolve(values.after as string) };
for (const cli of Object.values(clis)) {
  if (!existsSync(cli)) {
    console.error(`bench: ${cli} not found (run \`npm run build\`)`);
    process.exit(3);
  }
}
const runs = Math.max(1, Number(values.runs));
const dir = resolve(values.dir as string);
mkdirSync(dir, { recursive: true });

const writeJsonl = (file: string, history: unknown[]) => {
  const path = join(dir, file);
  if (!existsSync(path)) writeFileSync(path, history.map((h) => JSON.stringify(h)).join('\n') + '\n');
  return path;
};

interface Case {
  name: string;
  what: string;
  args: () => string[];
}

const cases: Case[] = [
  { name: 'version', what: 'faultline --version', args: () => ['--version'] },
  {
    name: 'check-two-ops',
    what: 'check a two-op file',
    args: () => [
      'check',
      writeJsonl('two-ops.jsonl', [
        { index: 0, time: 1, type: 'invoke', process: 0, f: 'write', value: 1 },
        { index: 1, time: 2, type: 'ok', process: 0, f: 'write', value: 1 },
      ]),
      '--model',
      'register',
    ],
  },
  {
    name: 'etcd-corpus',
    what: '100 Jepsen etcd logs (5 clients, cas-register, timeouts, 100-1,000 ops), one invocation',
    args: () => {
      const corpus = join(dir, 'etcd-corpus');
      const files = existsSync(join(corpus, 'etcd_099.log')) ? Array.from({ length: 100 }, (_, i) => join(corpus, `etcd_${String(i).padStart(3, '0')}.log`)) : writeEtcdCorpus(corpus, 100, 1);
      return ['check', ...files, '--model', 'cas-register', '--json'];
    },
  },
  {
    name: 'many-keys',
    what: 'kv-append, 50 clients, 10 keys, 2,000 ops, 7 keys broken: time to the verdict',
    args: () => ['check', writeJsonl('kv50.jsonl', kvAppendHistory({ clients: 50, ops: 2000, keys: 10, broken: 7, seed: 1, latency: 12 })), '--model', 'kv-append', '--json'],
  },
  {
    name: 'one-key-register',
    what: 'the hardest file of the etcd corpus alone (983 ops, values 0-4 repeat, 68 timeouts): search only',
    args: () => {
      const corpus = join(dir, 'etcd-corpus');
      if (!existsSync(join(corpus, 'etcd_073.log'))) writeEtcdCorpus(corpus, 100, 1);
      return ['check', join(corpus, 'etcd_073.log'), '--model', 'cas-register', '--algorithm', 'search', '--json'];
    },
  },
  {
    name: 'one-key-kv-append',
    what: 'kv-append on one key, 10 clients, 400 ops (search only)',
    args: () => ['check', writeJsonl('kv-append-1key.jsonl', kvAppendHistory({ clients: 10, ops: 400, keys: 1, broken: 0, seed: 1, latency: 6 })), '--model', 'kv-append', '--json'],
  },
];

interface Sample {
  wallS: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  cpuS: number;
  rssMb: number;
  verdict: string;
}

const isLauncher = (cli: string) => readFileSync(cli, 'utf8').startsWith('#!/bin/sh');

function runOnce(cli: string, args: string[]): Sample {
  const command = isLauncher(cli) ? [cli, ...args] : [process.execPath, cli, ...args];
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', ...command], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const time = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? [];
  const verdicts = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { valid: unknown }).valid));
  const counts = verdicts.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});
  return { wallS: Number(time[1]), cpuS: Number(time[3]) + Number(time[4]), rssMb: Number(time[2]) / 1024, verdict: verdicts.length ? JSON.stringify(counts) : `exit ${run.status}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const wanted = positionals.length > 0 ? cases.filter((c) => positionals.includes(c.name)) : cases;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`before: ${clis.before}\nafter:  ${clis.after}\nnode ${process.version}; medians of ${runs} runs (wall s, user+sys cpu s, peak RSS MB), ratio = before / after\n`);
const record: Record<string, unknown>[] = [];
for (const c of wanted) {
  const loadBefore = load();
  const args = c.args();
  const samples: Record<'before' | 'after', Sample[]> = { before: [], after: [] };
  for (let i = 0; i < runs; i++) {
    for (const which of ['before', 'after'] as const) samples[which].push(runOnce(clis[which], args));
  }
  const med = (xs: Sample[]) => ({ wall: median(xs.map((s) => s.wallS)), cpu: median(xs.map((s) => s.cpuS)), rss: median(xs.map((s) => s.rssMb)) });
  const b = med(samples.before);
  const a = med(samples.after);
  const vb = samples.before[0].verdict;
  const va = samples.after[0].verdict;
  const loadAfter = load();
  console.log(`${c.name}: ${c.what} (load average ${loadBefore} -> ${loadAfter})`);
  console.log(
    `  before ${b.wall.toFixed(2)} s (cpu ${b.cpu.toFixed(2)} s) ${b.rss.toFixed(1)} MB | after ${a.wall.toFixed(2)} s (cpu ${a.cpu.toFixed(2)} s) ${a.rss.toFixed(1)} MB | ` +
      `time x${(b.wall / a.wall).toFixed(1)}, cpu x${(b.cpu / a.cpu).toFixed(1)}, memory x${(b.rss / a.rss).toFixed(1)} | verdicts ${vb === va ? va : `DIFFER: before ${vb}, after ${va}`}`,
  );
  record.push({ case: c.name, what: c.what, args: args.map((x) => (x.startsWith(dir) ? x.slice(dir.length + 1) : x)), loadBefore, loadAfter, median: { before: b, after: a }, samples, verdictsSame: vb === va });
}
const out = resolve((values.out as string | undefined) ?? join(dir, `compare-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
writeFileSync(out, JSON.stringify({ node: process.version, runs, clis, cases: record }, null, 1) + '\n');
console.log(`\nrecorded: ${out}`);
