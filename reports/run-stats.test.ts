import { describe, expect, it } from 'vitest';
import type { PairedOp } from './pair-history.js';
import { countByF, groupErrors, latencyQuantiles, quantile } from './run-stats.js';

const op = (f: string, status: PairedOp['status'], latencyMs: number | undefined, error?: string, index = 0): PairedOp => ({
  process: 0,
  f,
  input: null,
  output: undefined,
  status,
  call: 1e9,
  ret: latencyMs === undefined ? undefined : 1e9 + latencyMs * 1e6,
  invokeIndex: index,
  completeIndex: index + 1,
  ...(error ? { error } : {}),
});

describe('run stats', () => {
  it('nearest-rank quantiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([quantile(xs, 0.5), quantile(xs, 0.99), quantile(xs, 1), quantile([7], 0.5)]).toEqual([50, 99, 100, 7]);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('latency quantiles per op kind leave out info ops and add an "all" row', () => {
    const ops = [op('read', 'ok', 1), op('read', 'ok', 3), op('read', 'fail', 2), op('write', 'ok', 10), op('write', 'info', undefined)];
    const rows = latencyQuantiles(ops);
    expect(rows.map((r) => [r.f, r.count, r.p50, r.max])).toEqual([
      ['read', 3, 2, 3],
      ['write', 1, 10, 10],
      ['all', 4, 2, 10],
    ]);
  });

  it('counts outcomes per op kind, most frequent first', () => {
    const rows = countByF([op('write', 'ok', 1), op('read', 'fail', 1), op('read', 'info', undefined), op('read', 'ok', 1)]);
    expect(rows).toEqual([
      { f: 'read', ok: 1, fail: 1, info: 1, total: 3 },
      { f: 'write', ok: 1, fail: 0, info: 0, total: 1 },
    ]);
  });

  it('groups errors with numbers masked, keeping the first occurrence', () => {
    const { groups, more } = groupErrors(
      [op('read', 'info', undefined, 'timeout after 1000ms', 10), op('write', 'info', undefined, 'timeout after 998ms', 4), op('cas', 'fail', 2, 'not leader', 7), op('read', 'ok', 1)],
      1,
    );
    expect(groups).toEqual([{ message: 'timeout after Nms', count: 2, fail: 0, info: 2, fs: ['read', 'write'], firstIndex: 11 }]);
    expect(more).toBe(1);
  });
});
