import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../src/history/types.js';
import { nemesisIntervals } from './nemesis-intervals.js';

let index = 0;
const nem = (type: 'invoke' | 'info', f: string, timeMs: number, value: unknown = null): HistoryOp => ({
  index: index++,
  type,
  process: 'nemesis',
  f,
  value,
  time: timeMs * 1e6,
});

describe('nemesisIntervals', () => {
  it('pairs start/stop ops into intervals from completion to completion, with what was done', () => {
    const groups = { groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] };
    const out = nemesisIntervals(
      [
        nem('invoke', 'start-partition', 1000, 'majority'),
        nem('info', 'start-partition', 1010, groups),
        nem('invoke', 'stop-partition', 3000),
        nem('info', 'stop-partition', 3005),
      ],
      9000e6,
    );
    expect(out).toEqual([{ start: 1010e3, end: 3005e3, kind: 'partition', label: 'partition n1 n2 | n3 n4 n5', open: false }]);
  });

  it('keeps a fault that was never healed open until the end of the history', () => {
    const out = nemesisIntervals([nem('invoke', 'pause', 500, { nodes: ['n3'] }), nem('info', 'pause', 501, { nodes: ['n3'] })], 4000e6);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'pause', label: 'pause n3', end: 4000e3, open: true });
  });

  it('closes only the kills on the nodes a start names', () => {
    const out = nemesisIntervals(
      [
        nem('info', 'kill', 100, { nodes: ['n1'] }),
        nem('info', 'kill', 200, { nodes: ['n2'] }),
        nem('info', 'start', 300, { nodes: ['n2'] }),
      ],
      1000e6,
    );
    expect(out.map((i) => [i.label, i.open, i.end])).toEqual([
      ['kill n1', true, 1000e3],
      ['kill n2', false, 300e3],
    ]);
  });

  it('describes clock offsets and treats unknown one-off ops as instants', () => {
    const out = nemesisIntervals(
      [nem('info', 'clock-bump', 100, { offsets: { n2: '+5s', n4: '-3s' } }), nem('info', 'clock-reset', 200), nem('info', 'transfer-leader', 250, { nodes: ['n5'] })],
      1000e6,
    );
    expect(out[0]).toMatchObject({ kind: 'clock', label: 'clock n2 +5s, n4 -3s', start: 100e3, end: 200e3, open: false });
    expect(out[1]).toMatchObject({ kind: 'transfer-leader', start: 250e3, end: 250e3, open: false });
  });
});
