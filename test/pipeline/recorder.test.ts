import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../src/history/recorder.js';
import type { HistoryOp } from '../../src/history/types.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'faultline-rec-'));
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);

describe('history recorder', () => {
  it('gives dense indices and monotonic times, and leaves absent fields out', () => {
    const path = join(tmp(), 'h.jsonl');
    const r = new HistoryRecorder(path);
    r.record({ type: 'invoke', process: 0, f: 'read', value: null, node: 'n1' });
    r.record({ type: 'invoke', process: 'nemesis', f: 'start-partition', value: null });
    r.record({ type: 'ok', process: 0, f: 'read', value: 3, node: 'n1' });
    r.close();
    const ops = lines(path).map((l) => JSON.parse(l) as HistoryOp);
    expect(ops.map((o) => o.index)).toEqual([0, 1, 2]);
    expect(ops[1].time).toBeGreaterThanOrEqual(ops[0].time);
    expect(ops[2].time).toBeGreaterThanOrEqual(ops[1].time);
    expect('key' in ops[0]).toBe(false);
    expect(Object.keys(ops[0])).toEqual(['index', 'type', 'process', 'f', 'value', 'time', 'node']);
    expect(r.counts).toMatchObject({ invoke: 1, ok: 1, nemesis: 1 });
  });

  it('restartClock makes the first op the time origin, and refuses once ops exist', async () => {
    const r = new HistoryRecorder(join(tmp(), 'h.jsonl'));
    await new Promise((res) => setTimeout(res, 200));
    r.restartClock();
    const first = r.record({ type: 'invoke', process: 0, f: 'read', value: null });
    expect(first.time).toBeLessThan(200e6);
    expect(() => r.restartClock()).toThrow(/backwards/);
    r.close();
  });

  it('flushes buffered ops on its timer without being closed', async () => {
    const path = join(tmp(), 'h.jsonl');
    const r = new HistoryRecorder(path, { flushIntervalMs: 50 });
    r.record({ type: 'invoke', process: 1, f: 'write', value: 1 });
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((res) => setTimeout(res, 200));
    expect(lines(path)).toHaveLength(1);
    r.close();
  });

  it('a controller killed with SIGKILL loses at most the last flush interval', async () => {
    const dir = tmp();
    const path = join(dir, 'h.jsonl');
    const script = join(dir, 'writer.ts');
    const recorder = resolve('src/history/recorder.ts');
    // Records one op every ms carrying its wall-clock time, and reports progress on stdout.
    writeFileSync(
      script,
      `import { HistoryRecorder } from ${JSON.stringify(recorder)};
       const r = new HistoryRecorder(${JSON.stringify(path)});
       setInterval(() => { r.record({ type: 'invoke', process: 0, f: 'write', value: Date.now() }); }, 1);
       setTimeout(() => process.stdout.write('ready\\n'), 1500);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res) => child.stdout.once('data', () => res()));
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const raw = readFileSync(path, 'utf8');
    expect(raw.endsWith('\n')).toBe(true); // never a torn line
    const ops = lines(path).map((l) => JSON.parse(l) as HistoryOp);
    expect(ops.length).toBeGreaterThan(100);
    const lastRecorded = ops[ops.length - 1].value as number;
    expect(killedAt - lastRecorded).toBeLessThan(1000);
    expect(ops.map((o) => o.index)).toEqual(ops.map((_, i) => i));
  });
});
