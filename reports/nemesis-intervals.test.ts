import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../src/history/types.js';
import { describeFault } from '../nemesis/index.js';
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
  it('pairs start/stop ops into intervals from completion to completion (the start op\'s invoke time kept), with what was done and the fault\'s colour', () => {
    const groups = { groups: [['n1', 'n2'], ['n3', 'n4', 'n5']] };
    const out = nemesisIntervals(
      [
        nem('invoke', 'start-partition', 1000),
        nem('info', 'start-partition', 1010, groups),
        nem('invoke', 'stop-partition', 3000),
        nem('info', 'stop-partition', 3005),
      ],
      9000e6,
    );
    expect(out).toEqual([{ start: 1010e3, invokedAt: 1000e3, end: 3005e3, kind: 'partition', color: describeFault('partition').color, row: 0, label: 'partition n1 n2 | n3 n4 n5', open: false }]);
  });

  it('keeps a fault that was never healed open until the end of the history; a heal closes it', () => {
    const out = nemesisIntervals([nem('invoke', 'start-pause', 500), nem('info', 'start-pause', 501, { nodes: ['n3'] })], 4000e6);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'pause', label: 'pause n3', end: 4000e3, open: true });
    const healed = nemesisIntervals([nem('info', 'start-pause', 501, { nodes: ['n3'] }), nem('invoke', 'heal-pause', 900), nem('info', 'heal-pause', 950, { nodes: ['n3'] })], 4000e6);
    expect(healed).toEqual([expect.objectContaining({ end: 950e3, open: false })]);
  });

  it('draws kill-all and kill-leader in the kill row, and a stop closes only the kills on the nodes it names', () => {
    expect(describeFault('kill-all').ops).toEqual(describeFault('kill').ops);
    const out = nemesisIntervals(
      [
        nem('info', 'start-kill', 100, { choice: 'one', nodes: ['n1'] }),
        nem('info', 'start-kill', 200, { choice: 'leader', nodes: ['n2'] }),
        nem('info', 'stop-kill', 300, { nodes: ['n2'] }),
      ],
      1000e6,
    );
    expect(out.map((i) => [i.kind, i.label, i.open, i.end, i.row])).toEqual([
      ['kill', 'kill n1', true, 1000e3, 0],
      ['kill', 'kill n2', false, 300e3, 1],
    ]);
  });

  it('stacks overlapping faults in rows of their own, families in catalogue order', () => {
    const out = nemesisIntervals(
      [
        nem('info', 'start-clock', 100, { mode: 'bump', nodes: ['n2'], offset: '+5s' }),
        nem('info', 'start-partition', 150, { groups: [['n1'], ['n2', 'n3']] }),
        nem('info', 'start-kill', 160, { nodes: ['n3'] }),
        nem('info', 'stop-kill', 200, { nodes: ['n3'] }),
        nem('info', 'stop-clock', 300, {}),
        nem('info', 'stop-partition', 400, {}),
        nem('info', 'start-kill', 500, { nodes: ['n1'] }),
      ],
      1000e6,
    );
    const rows = Object.fromEntries(out.map((i) => [i.label, i.row]));
    expect(rows).toEqual({ 'partition n1 | n2 n3': 0, 'kill n3': 1, 'kill n1': 1, 'clock +5s on n2': 2 });
  });

  it('reads other tools\' start-x/stop-x pairs as faults and anything else as an instant', () => {
    const out = nemesisIntervals([nem('info', 'start-bitrot', 100, { nodes: ['n2'] }), nem('info', 'stop-bitrot', 200), nem('info', 'transfer-leader', 250, { nodes: ['n5'] })], 1000e6);
    expect(out[0]).toMatchObject({ kind: 'bitrot', start: 100e3, end: 200e3, open: false });
    expect(out[1]).toMatchObject({ kind: 'transfer-leader', start: 250e3, end: 250e3, open: false });
  });
});
