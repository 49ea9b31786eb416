/**
 * Synthetic history generator for checker benchmarks. Writes JSONL (our history format).
 *   npx tsx bench/checker/generate.ts --out store/bench/h.jsonl --clients 10 --ops 10000 [--keys 1]
 *     [--anomaly-rate 0] [--info-rate 0] [--seed 1] [--cas] [--repeat-values] [--latency 2]
 * Histories come from a real sequential execution with random concurrency (linearizable by construction);
 * --anomaly-rate r then turns a fraction r of ok reads into impossible reads (a value from the future).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { injectReadAnomaly } from '../../checker/testing/anomaly.js';
import { simulateHistory } from '../../checker/testing/simulate.js';
import { Prng } from '../../src/generator/prng.js';

export interface GenerateOptions {
  clients: number;
  ops: number;
  keys: number;
  anomalyRate: number;
  infoRate: number;
  seed: number;
  cas: boolean;
  uniqueValues: boolean;
  latency: number;
}

export async function generateHistoryFile(out: string, o: GenerateOptions): Promise<{ lines: number; anomalies: number }> {
  const history = simulateHistory({
    clients: o.clients,
    ops: o.ops,
    keys: o.keys,
    keyed: o.keys > 1,
    infoRate: o.infoRate,
    cas: o.cas,
    uniqueValues: o.uniqueValues,
    seed: o.seed,
    latency: o.latency,
  });
  const prng = new Prng(o.seed ^ 0x5bd1e995);
  const rand = () => prng.float();
  const reads = history.filter((h) => h.type === 'ok' && h.f === 'read').length;
  const anomalies = Math.round(reads * o.anomalyRate);
  for (let i = 0; i < anomalies; i++) injectReadAnomaly(history, Math.floor(rand() * reads));
  mkdirSync(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  for (const op of history) {
    if (!stream.write(`${JSON.stringify(op)}\n`)) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { lines: history.length, anomalies };
}

export function parseGenerateArgs(args: string[]): { out: string; opts: GenerateOptions } {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      clients: { type: 'string', default: '10' },
      ops: { type: 'string', default: '10000' },
      keys: { type: 'string', default: '1' },
      'anomaly-rate': { type: 'string', default: '0' },
      'info-rate': { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      cas: { type: 'boolean', default: false },
      'repeat-values': { type: 'boolean', default: false },
      latency: { type: 'string', default: '2' },
    },
  });
  if (!values.out) throw new Error('--out FILE is required');
  return {
    out: values.out,
    opts: {
      clients: Number(values.clients),
      ops: Number(values.ops),
      keys: Number(values.keys),
      anomalyRate: Number(values['anomaly-rate']),
      infoRate: Number(values['info-rate']),
      seed: Number(values.seed),
      cas: values.cas ?? false,
      uniqueValues: !values['repeat-values'],
      latency: Number(values.latency),
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const { out, opts } = parseGenerateArgs(process.argv.slice(2));
  const r = await generateHistoryFile(out, opts);
  console.log(`${out}: ${r.lines} lines, ${r.anomalies} injected anomalies`);
}
