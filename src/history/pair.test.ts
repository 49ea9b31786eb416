import { describe, expect, it } from 'vitest';
import type { HistoryOp } from './types.js';
import { OperationPairer, pairOperations } from './pair.js';

const h = (type: HistoryOp['type'], process: HistoryOp['process'], f: string, value: unknown = null): Omit<HistoryOp, 'index' | 'time'> => ({ type, process, f, value });
const history = (...ops: Omit<HistoryOp, 'index' | 'time'>[]): HistoryOp[] => ops.map((op, i) => ({ ...op, index: i, time: i * 10 }));

describe('the one pairer', () => {
  it('a process that invokes again after an info completion is malformed (Jepsen gives it a new id)', () => {
    const ops = history(h('invoke', 1, 'write', 1), h('info', 1, 'write', 1), h('invoke', 1, 'read'), h('ok', 1, 'read', 1));
    expect(() => pairOperations(ops)).toThrow(/history index 2: process 1 invokes read, but its write from history index 0 ended info at history index 1; a crashed process gets a new id/);
  });
  it('a second completion names the completion that already closed the op', () => {
    const ops = history(h('invoke', 2, 'read'), h('ok', 2, 'read', 1), h('ok', 2, 'read', 1));
    expect(() => pairOperations(ops)).toThrow(/history index 2: ok completion of read by process 2 has no invoke \(its last op, read from history index 0, already completed at history index 1\)/);
  });
  it('an unknown type and a completion of another f are errors', () => {
    expect(() => pairOperations(history(h('invoke', 0, 'read'), { ...h('ok', 0, 'read'), type: 'done' as never }))).toThrow(/unknown op type "done"/);
    expect(() => pairOperations(history(h('invoke', 0, 'read'), h('ok', 0, 'write')))).toThrow(/process 0 completes write but invoked read/);
    // The completion's key is not silently dropped: the read's value would be checked against the invoke's key.
    const keyed = history({ ...h('invoke', 0, 'read'), key: 'a' }, { ...h('ok', 0, 'read', 1), key: 'b' });
    expect(() => pairOperations(keyed)).toThrow(/history index 1: process 0 completes read on key b but invoked it on key a at history index 0/);
  });
  it('an index that does not grow is an error: events at one time are ordered by it (all-zero indices made every op concurrent and a stale read valid)', () => {
    const stale = [h('invoke', 0, 'write', 1), h('ok', 0, 'write', 1), h('invoke', 1, 'read'), h('ok', 1, 'read', null)];
    expect(() => pairOperations(stale.map((op) => ({ ...op, index: 0, time: 0 })))).toThrow(/history index 0: index 0 is not greater than the previous op's index 0/);
    const backwards = stale.map((op, i) => ({ ...op, index: [5, 6, 1, 2][i], time: [1, 2, 2, 3][i] }));
    expect(() => pairOperations(backwards)).toThrow(/history index 1: index 1 is not greater than the previous op's index 6/);
    // Gaps are fine (a history filtered to some keys keeps its indices).
    expect(pairOperations(stale.map((op, i) => ({ ...op, index: i * 3, time: i })))).toHaveLength(2);
  });
  it('counts nemesis records and invokes that never completed', () => {
    const p = new OperationPairer();
    for (const op of history(h('invoke', 'nemesis', 'start'), h('invoke', 0, 'write', 1), h('info', 'nemesis', 'start'), h('invoke', 1, 'read'), h('ok', 1, 'read', null))) p.add(op);
    const ops = p.finish();
    expect(p.counts).toEqual({ nemesis: 2, neverCompleted: 1, timesRaised: 0 });
    expect(ops.map((o) => [o.process, o.status, o.ret])).toEqual([
      [0, 'info', Infinity],
      [1, 'ok', 40],
    ]);
  });
  it('lenient pairing (the report) summarises damage instead of throwing', () => {
    const problems: string[] = [];
    const p = new OperationPairer({ onProblem: (m) => problems.push(m) });
    for (const op of history(h('ok', 3, 'read', 1), h('invoke', 0, 'write', 1), h('invoke', 0, 'write', 2), h('ok', 0, 'write', 2))) p.add(op);
    const ops = p.finish();
    expect(ops.map((o) => [o.input, o.status])).toEqual([
      [1, 'info'],
      [2, 'ok'],
    ]);
    expect(problems).toEqual([
      'history: 1 completion(s) without an invoke were ignored',
      expect.stringMatching(/^history: 1 malformed op\(s\) drawn as well as possible \(first: history index 2: process 0 invokes write while/),
    ]);
  });
});
