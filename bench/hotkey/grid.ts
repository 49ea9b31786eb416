/**
 * The hot-key grid of issue 9: clients x ops x info share x valid/invalid, each cell checked in a child
 * process by the register procedure, and (cells up to 10,000 ops only) by the search with a 60 s limit.
 * Writes store/bench/hotkey.md after every cell. Usage:
 *   npx tsx bench/hotkey/grid.ts [--clients 5,10] [--ops 1000,10000] [--no-search] [--search-only]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hotKeyHistory, injectStaleRead } from './generate.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const list = (s: string | undefined, d: number[]) => (s ? s.split(',').map(Number) : d);
const clientsList = list(arg('clients'), [5, 10, 20, 50, 100]);
const opsList = list(arg('ops'), [1000, 10000, 100000, 1000000]);
const infoList = list(arg('info'), [0, 0.05]);
const withSearch = !process.argv.includes('--no-search');
const searchOnly = process.argv.includes('--search-only');
const searchMaxOps = 10000;
const searchLimit = 60;
const out = arg('out') ?? 'store/bench/hotkey.md';
const tmp = join('store', 'bench', 'hotkey-tmp');
mkdirSync(tmp, { recursive: true });

interface Cell {
  verdict: string;
  decidedBy: string;
  reason?: string;
  totalMs: number;
  checkMs: number;
  peakRssMB: number;
}
const rows: string[] = [];

function runCell(file: string, algorithm: string): Cell | string {
  try {
    const text = execFileSync('node', ['--import', 'tsx', 'bench/hotkey/check-cell.ts', file, algorithm, String(searchLimit)], {
      encoding: 'utf8',
      timeout: (searchLimit + 60) * 1000,
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(text.trim().split('\n').pop()!) as Cell;
  } catch (e) {
    return `crashed (${(e as Error).message.split('\n')[0].slice(0, 60)})`;
  }
}

const show = (c: Cell | string | undefined) =>
  c === undefined
    ? withSearch ? 'not run (> 10,000 ops)' : 'not run'
    : typeof c === 'string'
      ? c
      : `${c.verdict === 'unknown' ? `unknown (${c.reason})` : c.verdict}${c.decidedBy === 'register' || c.decidedBy === 'search' ? '' : ` [by ${c.decidedBy}]`}, ${(c.checkMs / 1000).toFixed(2)} s check / ${(c.totalMs / 1000).toFixed(2)} s total, ${c.peakRssMB} MB`;

function write() {
  const header =
    '# Hot-key register grid (issue 9)\n\n' +
    'One cas-register, unique written values, latency 1-20 ms, think 0-5 ms, ~30% cas / 30% write / 40% read.\n' +
    'Each cell: a child process that loads the JSONL history, pairs it and checks it (`check` = checker only,\n' +
    '`total` = load + pair + check); memory = peak RSS of that whole process. The search runs only for cells\n' +
    `up to ${searchMaxOps.toLocaleString('en')} ops, with a ${searchLimit} s limit. Invalid = the valid twin with one provably stale read near the end.\n` +
    `Machine: ${process.arch}, 2 cores shared with other work, Node ${process.version}.\n\n` +
    '| clients | ops | info | history | register path | search (60 s limit) |\n|---|---|---|---|---|---|\n';
  writeFileSync(out, header + rows.join('\n') + '\n');
}

for (const ops of opsList) {
  for (const clients of clientsList) {
    for (const info of infoList) {
      const raw = hotKeyHistory({ clients, ops, info, seed: clients * 1000 + ops + Math.round(info * 100) });
      for (const kind of ['valid', 'invalid']) {
        if (kind === 'invalid') injectStaleRead(raw);
        const file = join(tmp, `c${clients}-n${ops}-i${info}-${kind}.jsonl`);
        writeFileSync(file, raw.map((h) => JSON.stringify(h)).join('\n') + '\n');
        const reg = searchOnly ? undefined : runCell(file, 'register');
        const search = withSearch && ops <= searchMaxOps ? runCell(file, 'search') : undefined;
        rmSync(file);
        rows.push(`| ${clients} | ${ops.toLocaleString('en')} | ${info * 100}% | ${kind} | ${reg ? show(reg) : '-'} | ${show(search)} |`);
        console.log(rows[rows.length - 1]);
        write();
      }
    }
  }
}
