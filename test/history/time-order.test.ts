import { describe, expect, it } from 'vitest';
import { OperationPairer } from '../../src/history/pair.js';
import type { HistoryOp } from '../../src/history/types.js';
import { checkHistory } from '../../checker/index.js';
import { getModel } from '../../checker/models/index.js';

const op = (index: number, type: HistoryOp['type'], process: number, f: string, value: unknown, time: number): HistoryOp => ({ index, type, process, f, value, time }) as HistoryOp;

/** A write of 1 completes, then a read invoked after it (in the history's order) returns the initial 0. */
const staleRead = (readTimes: [number, number]): HistoryOp[] => [
  op(0, 'invoke', 0, 'write', 1, 10),
  op(1, 'ok', 0, 'write', 1, 100),
  op(2, 'invoke', 1, 'read', null, readTimes[0]),
  op(3, 'ok', 1, 'read', 0, readTimes[1]),
];

describe('time and history order', () => {
  it('a time that runs backwards in the history order does not make ordered ops concurrent', async () => {
    const model = getModel('register', 0);
    expect((await checkHistory(staleRead([150, 160]), model)).valid).toBe(false);
    // The same history with the read stamped before the write completed: the order still says after.
    expect((await checkHistory(staleRead([50, 60]), model)).valid).toBe(false);
  });

  it('keeps times that follow the order as they are', () => {
    const pairer = new OperationPairer();
    for (const o of staleRead([150, 160])) pairer.add(o);
    const [write, read] = pairer.finish();
    expect([write!.call, write!.ret, read!.call, read!.ret]).toEqual([10, 100, 150, 160]);
    expect(pairer.counts.timesRaised).toBe(0);
    const raised = new OperationPairer();
    for (const o of staleRead([50, 60])) raised.add(o);
    expect(raised.finish()[1]).toMatchObject({ call: 100, ret: 100 });
    expect(raised.counts.timesRaised).toBe(2);
  });
});
