import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../src/history/types.js';
import { describeOp } from './describe-op.js';
import { pairForReport } from './pair-history.js';

const h = (index: number, type: HistoryOp['type'], process: HistoryOp['process'], f: string, value: unknown, time: number, extra: Partial<HistoryOp> = {}): HistoryOp => ({ index, type, process, f, value, time, ...extra });

describe('pairForReport', () => {
  it('pairs invokes with completions, skips nemesis ops and never throws on damage', () => {
    const problems: string[] = [];
    const ops = pairForReport(
      [
        h(0, 'invoke', 0, 'write', 3, 10, { key: 'k1' }),
        h(1, 'info', 'nemesis', 'kill', { nodes: ['n1'] }, 11),
        h(2, 'ok', 0, 'write', 3, 20, { node: 'n2' }),
        h(3, 'fail', 5, 'read', null, 21, { error: 'orphan' }),
        h(4, 'invoke', 1, 'read', null, 30, { key: 'k1' }),
        h(5, 'info', 1, 'read', null, 1030, { error: 'timeout' }),
        h(6, 'invoke', 2, 'cas', [3, 4], 40, { key: 'k1' }),
      ],
      problems,
    );
    expect(ops.map((o) => [o.process, o.f, o.status, o.call, o.ret, o.node ?? null, o.error ?? null])).toEqual([
      [0, 'write', 'ok', 10, 20, 'n2', null],
      [1, 'read', 'info', 30, undefined, null, 'timeout'],
      // Stamped 40, after an op stamped 1030: the history's order puts it later, and so does the report.
      [2, 'cas', 'info', 1030, undefined, null, null],
    ]);
    expect(problems).toEqual([
      'history: 1 completion(s) without an invoke were ignored',
      "history: 1 op time(s) earlier than an op before them were drawn at that op's time (the history's order decides)",
    ]);
  });

  it('describes ops the way the timeline labels them', () => {
    expect(describeOp('read', null, 3, 'ok')).toBe('read → 3');
    expect(describeOp('read', null, undefined, 'info')).toBe('read');
    expect(describeOp('write', 5, 5, 'ok')).toBe('write 5');
    expect(describeOp('cas', [2, 5], [2, 5], 'fail')).toBe('cas 2→5');
    expect(describeOp('read', null, null, 'ok')).toBe('read → nil');
  });
});
