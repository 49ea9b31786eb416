/**
 * A corpus imitating Jepsen's etcd register runs (Porcupine's etcd test data): one cas-register per file,
 * 5 clients, values 0-4 (so they repeat and only the search decides), reads/writes/cas, and partitions
 * during which many ops time out (`:info`, process replaced). Written as Jepsen logs:
 *   INFO  jepsen.util - 3	:invoke	:cas	[4 2]
 *   npx tsx bench/checker/etcd-corpus.ts --out store/bench/etcd-corpus [--files 100] [--seed 1]
 * About one file in ten gets a stale read (a read returning a value other than the current one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HistoryOp } from '../../src/history/types.js';
import { Prng } from '../../src/generator/prng.js';
import { simulateObject } from './simulate-object.js';

/** Ticks per nemesis period: partitioned for the first PARTITIONED of every PERIOD ticks. */
const PERIOD = 400;
const PARTITIONED = 150;

export function etcdRegisterHistory(seed: number, ops: number): HistoryOp[] {
  const partitioned = (t: number) => t % PERIOD < PARTITIONED && t >= PERIOD;
  const history = simulateObject<number | null>({
    clients: 5,
    ops,
    seed,
    init: null,
    latency: 5,
    timeoutRate: (t) => (partitioned(t) ? 0.45 : 0.02),
    nextOp: (prng) => {
      const r = prng.float();
      if (r < 0.4) return { f: 'read', value: null };
      if (r < 0.7) return { f: 'write', value: prng.int(5) };
      return { f: 'cas', value: [prng.int(5), prng.int(5)] };
    },
    apply: (state, op) => {
      if (op.f === 'read') return { state, value: state };
      if (op.f === 'write') return { state: op.value as number, value: op.value };
      const [from, to] = op.value as [number, number];
      return from === state ? { state: to, value: op.value } : { state, value: op.value, fail: true };
    },
  });
  return history;
}

/** Makes one ok read stale: it returns another value of 0-4 than the one it read. */
function injectStaleRead(history: HistoryOp[], prng: Prng): void {
  const reads = history.filter((h) => h.type === 'ok' && h.f === 'read');
  if (reads.length === 0) return;
  const read = reads[prng.int(reads.length)];
  read.value = ((typeof read.value === 'number' ? read.value : -1) + 1 + prng.int(4)) % 5;
}

const edn = (v: unknown): string => (v === null || v === undefined ? 'nil' : Array.isArray(v) ? `[${v.map(edn).join(' ')}]` : String(v));

/** The Jepsen log text of a history, with nemesis lines where partitions start and stop. */
export function toJepsenLog(history: HistoryOp[]): string {
  const lines: string[] = [];
  let partitioned = false;
  for (const op of history) {
    const tick = op.time / 1000;
    const now = tick % PERIOD < PARTITIONED && tick >= PERIOD;
    if (now !== partitioned) {
      partitioned = now;
      lines.push(`INFO  jepsen.util - :nemesis\t:info\t${now ? ':start' : ':stop'}\tnil`);
    }
    const value = op.type === 'info' ? ':timed-out' : op.type === 'invoke' && op.f === 'read' ? 'nil' : edn(op.value);
    lines.push(`INFO  jepsen.util - ${String(op.process)}\t:${op.type}\t:${op.f}\t${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `files` logs of 100-1,000 ops each into `dir`; returns their paths. */
export function writeEtcdCorpus(dir: string, files = 100, seed = 1): string[] {
  mkdirSync(dir, { recursive: true });
  const prng = new Prng(seed);
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const ops = prng.between(100, 1000);
    const history = etcdRegisterHistory(prng.nextU32(), ops);
    if (i % 10 === 3) injectStaleRead(history, prng);
    const path = join(dir, `etcd_${String(i).padStart(3, '0')}.log`);
    writeFileSync(path, toJepsenLog(history));
    paths.push(path);
  }
  return paths;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, files: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' } } });
  if (!values.out) throw new Error('--out DIR is required');
  const paths = writeEtcdCorpus(values.out, Number(values.files), Number(values.seed));
  console.log(`${values.out}: ${paths.length} Jepsen etcd logs`);
}
