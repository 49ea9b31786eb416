/**
 * kv-append histories like the MIT 6.824 key/value lab's that Porcupine checks (get/put/append on a few
 * keys, many clients): the many-keys-several-broken case and a one-key search-only case. JSONL.
 *   npx tsx bench/checker/kv-append-history.ts --out store/bench/kv50.jsonl [--clients 50] [--ops 2000]
 *     [--keys 10] [--broken 7] [--seed 1]
 * `--broken k` breaks k keys: one get on each returns the value with one append left out (a lost append).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { HistoryOp } from '../../src/history/types.js';
import { Prng } from '../../src/generator/prng.js';
import { simulateObject } from './simulate-object.js';

export interface KvAppendOptions {
  clients: number;
  ops: number;
  keys: number;
  broken: number;
  seed: number;
  /** Mean ticks an op stays in flight (default 3). */
  latency?: number;
}

export function kvAppendHistory(o: KvAppendOptions): HistoryOp[] {
  let counter = 0;
  const history = simulateObject<Map<string, string>>({
    clients: o.clients,
    ops: o.ops,
    seed: o.seed,
    init: new Map(),
    latency: o.latency ?? 3,
    nextOp: (prng) => {
      const key = String(prng.int(o.keys));
      const r = prng.float();
      if (r < 0.5) return { f: 'get', key, value: null };
      // 6.824's values: "x <client> <n> y", unique per append.
      return { f: r < 0.95 ? 'append' : 'put', key, value: `x ${prng.int(o.clients)} ${counter++} y` };
    },
    apply: (state, op) => {
      const key = op.key as string;
      const current = state.get(key) ?? '';
      if (op.f === 'get') return { state, value: current };
      const next = new Map(state);
      next.set(key, op.f === 'append' ? current + String(op.value) : String(op.value));
      return { state: next, value: op.value };
    },
  });
  const prng = new Prng(o.seed ^ 0x2545f491);
  for (let k = 0; k < Math.min(o.broken, o.keys); k++) loseAppend(history, String(k), prng);
  return history;
}

/** One ok get on `key` whose value holds two or more appends returns it with one append cut out. */
function loseAppend(history: HistoryOp[], key: string, prng: Prng): void {
  const gets = history.filter((h) => h.type === 'ok' && h.f === 'get' && h.key === key && (String(h.value).match(/ y/g) ?? []).length >= 2);
  if (gets.length === 0) return;
  const get = gets[prng.int(gets.length)];
  const parts = String(get.value).split(/(?<= y)/);
  parts.splice(prng.int(parts.length - 1), 1);
  get.value = parts.join('');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      clients: { type: 'string', default: '50' },
      ops: { type: 'string', default: '2000' },
      keys: { type: 'string', default: '10' },
      broken: { type: 'string', default: '7' },
      seed: { type: 'string', default: '1' },
      latency: { type: 'string', default: '3' },
    },
  });
  if (!values.out) throw new Error('--out FILE is required');
  const history = kvAppendHistory({
    clients: Number(values.clients), ops: Number(values.ops), keys: Number(values.keys), broken: Number(values.broken), seed: Number(values.seed), latency: Number(values.latency),
  });
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, history.map((h) => JSON.stringify(h)).join('\n') + '\n');
  console.log(`${values.out}: ${history.length} lines`);
}
