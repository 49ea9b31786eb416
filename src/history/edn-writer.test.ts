import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEDNString } from 'edn-data';
import { describe, expect, it } from 'vitest';
import { runExport } from '../cli/commands/export.js';
import { parseEdnHistory } from './edn.js';
import { toEdnHistory } from './edn-writer.js';
import { readRawHistory } from './load.js';

const fixtures = [
  'test/fixtures/histories/register-valid.jsonl',
  'test/fixtures/histories/register-info-write-read.jsonl',
  'test/fixtures/runs/valid/history.jsonl',
  'test/fixtures/runs/crashed/history.jsonl',
  'test/fixtures/histories/jepsen-independent.edn',
  'test/fixtures/histories/knossos-cas-good.edn',
  'test/fixtures/histories/etcd-style.log',
];

describe('faultline export (EDN for Knossos)', () => {
  it.each(fixtures)('round trip: %s exported and read back gives the same ops', async (file) => {
    // The crashed run's last line is cut mid-object: its complete ops are exported.
    const raw = await readRawHistory(file, { allowTruncated: true });
    const edn = toEdnHistory(raw.ops);
    expect(parseEdnHistory(edn, 'export.edn').ops).toEqual(raw.ops);
  });
  it('writes Jepsen op maps: keywords, :nemesis, nil, [k v] tuples for keyed ops', async () => {
    const raw = await readRawHistory('test/fixtures/runs/valid/history.jsonl');
    const edn = toEdnHistory(raw.ops);
    const lines = edn.split('\n');
    expect(lines[0]).toBe('[{:index 0, :time 58456929, :type :invoke, :process 0, :f :read, :value ["k3" nil]}');
    expect(edn).toMatch(/\{:index \d+, :time \d+, :type :info, :process :nemesis, :f :[a-z-]+, :value /);
    expect(edn).toMatch(/:error "cas failed: expected 0, found null"/);
    expect(edn.endsWith(']\n')).toBe(true);
    // Another EDN reader (edn-data) reads it as a vector of maps with keyword keys.
    const parsed = parseEDNString(edn, { mapAs: 'object', keywordAs: 'string' }) as Record<string, unknown>[];
    expect(parsed).toHaveLength(raw.ops.length);
    expect(parsed[0]).toMatchObject({ index: 0, type: 'invoke', process: 0, f: 'read', value: ['k3', null] });
  });
  it('exports a run directory to a file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'faultline-export-')), 'h.edn');
    const printed: string[] = [];
    const r = await runExport({ input: 'test/fixtures/histories/run-stale', out }, (l) => printed.push(l));
    expect(printed[0]).toMatch(new RegExp(`^${out}: ${r.ops} ops from test/fixtures/histories/run-stale/history.jsonl as EDN$`));
    expect(parseEdnHistory(readFileSync(out, 'utf8')).ops).toHaveLength(r.ops);
  });
  it.skipIf(!hasClojure())('Clojure itself reads the export (clojure.edn/read-string)', async () => {
    const raw = await readRawHistory('test/fixtures/runs/valid/history.jsonl');
    const file = join(mkdtempSync(join(tmpdir(), 'faultline-export-')), 'h.edn');
    writeFileSync(file, toEdnHistory(raw.ops));
    const script = `(let [h (clojure.edn/read-string (slurp "${file}"))] (println (count h) (:type (first h)) (:process (first h)) (first (:value (first h))) (count (filter #(= :nemesis (:process %)) h))))`;
    const out = execFileSync('clojure', ['-e', `(require 'clojure.edn) ${script}`], { encoding: 'utf8' }).trim();
    const nemesis = raw.ops.filter((o) => o.process === 'nemesis').length;
    expect(out).toBe(`${raw.ops.length} :invoke 0 k3 ${nemesis}`);
  });
});

function hasClojure(): boolean {
  try {
    execFileSync('clojure', ['-e', '1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
