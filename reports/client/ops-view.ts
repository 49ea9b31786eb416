import type { ReportData } from '../report-data.js';

/**
 * Read-side helpers over the columnar op data: each op's end (info ops extend to the end of the run) and
 * per-lane row lists sorted by call time. A process runs one op at a time, so within a lane ends are
 * sorted too, which is what makes binary search over a lane valid.
 */
export class OpsView {
  readonly count: number;
  readonly byLane: Int32Array[];
  constructor(readonly data: ReportData) {
    const { ops } = data;
    this.count = ops.call.length;
    const lists: number[][] = data.lanes.map(() => []);
    for (let i = 0; i < this.count; i++) lists[ops.lane[i]].push(i);
    this.byLane = lists.map((l) => Int32Array.from(l.sort((a, b) => ops.call[a] - ops.call[b])));
  }

  end(row: number): number {
    const r = this.data.ops.ret[row];
    return r < 0 ? Math.max(this.data.end, this.data.ops.call[row]) : r;
  }

  /** Position in the lane's list of the first op that ends at or after `t`. */
  firstEndingAfter(lane: number, t: number): number {
    const rows = this.byLane[lane];
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.end(rows[mid]) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The op of `lane` under time `t`, allowing `slack` µs either side (for thin bars). */
  opAt(lane: number, t: number, slack: number): number {
    const rows = this.byLane[lane];
    if (!rows) return -1;
    for (let p = this.firstEndingAfter(lane, t - slack); p < rows.length; p++) {
      const row = rows[p];
      if (this.data.ops.call[row] > t + slack) break;
      return row;
    }
    return -1;
  }

  describe(row: number): string {
    const { ops, lanes, fNames, keys, nodeNames, errors } = this.data;
    const status = ['ok', 'fail', 'info'][ops.status[row]];
    const lines = [
      `${lanes[ops.lane[row]]}  ${ops.text[row]}${ops.key[row] >= 0 ? `  key ${keys[ops.key[row]]}` : ''}`,
      `${status}${ops.status[row] === 2 ? ' (unknown outcome)' : ''} · ${fNames[ops.f[row]]}`,
      `invoke ${(ops.call[row] / 1e6).toFixed(6)} s` +
        (ops.ret[row] >= 0 ? ` · complete ${(ops.ret[row] / 1e6).toFixed(6)} s · ${((ops.ret[row] - ops.call[row]) / 1000).toFixed(2)} ms` : ' · no completion'),
    ];
    if (ops.node[row] >= 0) lines.push(`node ${nodeNames[ops.node[row]]}`);
    if (ops.err[row] >= 0) lines.push(`error: ${errors[ops.err[row]]}`);
    lines.push(`history.jsonl line ${ops.idx[row] + 1}`);
    return lines.join('\n');
  }
}
