import uPlot from 'uplot';
import type { ReportData } from '../report-data.js';
import { niceStep } from './format.js';

const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#7f7f7f', '#e377c2'];
const FAIL_COLOR = '#d62728';

/** A uPlot hook that shades every nemesis interval behind the series. */
function chartHooks(data: ReportData, onSelect?: (t0: number, t1: number) => void): uPlot.Hooks.Arrays {
  return {
    // Drag-selecting a time range on a chart zooms the timeline to it as well.
    setSelect: [
      (u: uPlot) => {
        if (!onSelect || u.select.width < 2) return;
        onSelect(u.posToVal(u.select.left, 'x') * 1e6, u.posToVal(u.select.left + u.select.width, 'x') * 1e6);
      },
    ],
    drawClear: [
      (u: uPlot) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.fillStyle = 'rgba(120, 120, 120, 0.14)';
        for (const n of data.nemesis) {
          const x0 = u.valToPos(n.start / 1e6, 'x', true);
          const x1 = Math.max(u.valToPos(n.end / 1e6, 'x', true), x0 + 2);
          const a = Math.max(bbox.left, x0);
          const b = Math.min(bbox.left + bbox.width, x1);
          if (b > a) ctx.fillRect(a, bbox.top, b - a, bbox.height);
        }
        ctx.restore();
      },
    ],
  };
}

const pointsOnly = (color: string): uPlot.Series => ({
  stroke: color,
  fill: color,
  paths: () => null,
  points: { show: true, size: 3, width: 0, fill: color, stroke: color },
});

/**
 * Latency scatter (invoke time vs latency, log scale, one series per op kind, failures in red) and
 * throughput over time (completions per second by outcome), both with nemesis bands.
 */
export function drawCharts(
  data: ReportData,
  latencyBox: HTMLElement,
  rateBox: HTMLElement,
  onSelect?: (t0: number, t1: number) => void,
): uPlot[] {
  const { ops } = data;
  const n = ops.call.length;
  if (n === 0) {
    latencyBox.textContent = 'No operations to chart.';
    return [];
  }
  const width = Math.max(300, latencyBox.clientWidth || 900);

  // Latency: x is the invoke time of every completed op (ops are in invoke order, so x is sorted).
  const fCount = data.fNames.length;
  const xs: number[] = [];
  const series: (number | null)[][] = Array.from({ length: fCount + 1 }, () => []);
  for (let i = 0; i < n; i++) {
    if (ops.ret[i] < 0) continue;
    xs.push(ops.call[i] / 1e6);
    const ms = Math.max(0.001, (ops.ret[i] - ops.call[i]) / 1000);
    const slot = ops.status[i] === 1 ? fCount : ops.f[i];
    for (let s = 0; s <= fCount; s++) series[s].push(s === slot ? ms : null);
  }
  const hooks = chartHooks(data, onSelect);
  const xScale = { time: false, range: (): uPlot.Range.MinMax => [0, Math.max(data.end / 1e6, 0.001)] };
  const latency = new uPlot(
    {
      width,
      height: 280,
      title: 'Latency (ms, log scale) by invoke time (s); grey bands: faults active',
      scales: { x: xScale, y: { distr: 3 } },
      axes: [{ label: 's' }, { label: 'ms' }],
      series: [
        { label: 'time (s)' },
        ...data.fNames.map((f, i) => ({ label: `${f} ok`, ...pointsOnly(PALETTE[i % PALETTE.length]) })),
        { label: 'fail', ...pointsOnly(FAIL_COLOR) },
      ],
      legend: { live: false },
      cursor: { drag: { x: true, y: false } },
      hooks,
    },
    [xs, ...series] as uPlot.AlignedData,
    latencyBox,
  );

  // Throughput: completions per second in buckets sized for ~150 points; info ops count where recorded.
  const endS = Math.max(data.end / 1e6, 0.001);
  const bucket = niceStep(endS, 150);
  const buckets = Math.ceil(endS / bucket) + 1;
  const bx = Array.from({ length: buckets }, (_, i) => i * bucket);
  const counts = [0, 1, 2].map(() => new Array<number>(buckets).fill(0));
  for (let i = 0; i < n; i++) {
    if (ops.ret[i] < 0) continue;
    counts[ops.status[i]][Math.floor(ops.ret[i] / 1e6 / bucket)] += 1 / bucket;
  }
  const rate = new uPlot(
    {
      width,
      height: 220,
      title: `Throughput (completions per second, ${bucket < 1 ? `${bucket * 1000} ms` : `${bucket} s`} buckets)`,
      scales: { x: xScale },
      axes: [{ label: 's' }, { label: 'ops/s' }],
      series: [
        { label: 'time (s)' },
        { label: 'ok', stroke: '#2f80d1', width: 1.5 },
        { label: 'fail', stroke: '#e0559a', width: 1.5 },
        { label: 'info (with a completion)', stroke: '#e08a00', width: 1.5 },
      ],
      cursor: { drag: { x: true, y: false } },
      hooks,
    },
    [bx, ...counts] as uPlot.AlignedData,
    rateBox,
  );
  const resize = () => {
    const w = Math.max(300, latencyBox.clientWidth);
    latency.setSize({ width: w, height: 280 });
    rate.setSize({ width: w, height: 220 });
  };
  window.addEventListener('resize', resize);
  return [latency, rate];
}
