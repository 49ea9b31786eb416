import uPlotCss from 'uplot/dist/uPlot.min.css';
import type { ReportData } from '../report-data.js';
import { drawCharts } from './charts.js';
import { renderCounterexample } from './counterexample-view.js';
import { Timeline } from './timeline.js';

/**
 * Entry point of the in-page code: reads the embedded data, draws the timeline, the counterexample and
 * the charts, wires the toolbar, then marks the page interactive (`data-ready` on <body>, with the time
 * it took in `data-ready-ms`) so tests and benchmarks can wait for it.
 */
function start(): void {
  const style = document.createElement('style');
  style.textContent = uPlotCss;
  document.head.appendChild(style);

  const data = JSON.parse(document.getElementById('fl-data')!.textContent!) as ReportData;
  const byId = (id: string) => document.getElementById(id);
  const timeline = new Timeline(byId('timeline-canvas') as HTMLCanvasElement, byId('tooltip')!, byId('view-range'), data);
  (window as unknown as { faultlineTimeline: Timeline }).faultlineTimeline = timeline;

  const highlight = byId('highlight-cx') as HTMLInputElement | null;
  const showOp = (row: number) => {
    timeline.showOp(row);
    byId('timeline')!.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const actions: Record<string, () => void> = {
    'zoom-in': () => timeline.zoom(0.5),
    'zoom-out': () => timeline.zoom(2),
    'zoom-reset': () => timeline.reset(),
    'jump-counterexample': () => {
      if (highlight) highlight.checked = true;
      timeline.showCounterexample();
      byId('timeline')!.scrollIntoView({ block: 'start' });
    },
    'copy-command': () => void navigator.clipboard?.writeText(byId('command')?.textContent ?? ''),
  };
  document.addEventListener('click', (e) => {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action;
    if (action && actions[action]) actions[action]();
  });
  highlight?.addEventListener('change', () => {
    timeline.highlightCounterexample = highlight.checked;
  });

  const keySelect = byId('key-filter') as HTMLSelectElement | null;
  if (keySelect) {
    if (data.keys.length < 2 || data.keys.length > 5000) keySelect.parentElement!.hidden = true;
    else {
      const sorted = data.keys.map((k, i) => [k, i] as const).sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
      for (const [k, i] of sorted) keySelect.add(new Option(k, String(i)));
      keySelect.addEventListener('change', () => timeline.filterKey(Number(keySelect.value)));
    }
  }

  const list = byId('nemesis-list');
  if (list) {
    for (const n of data.nemesis) {
      const span = document.createElement('span');
      // The requested time first: a replay of the schedule reproduces it; the in-effect time depends on Docker.
      const from = n.invokedAt !== undefined ? `${(n.invokedAt / 1e6).toFixed(2)}s (in effect ${(n.start / 1e6).toFixed(2)}s)` : `${(n.start / 1e6).toFixed(2)}s`;
      span.textContent = `${from}–${n.open ? 'end' : `${(n.end / 1e6).toFixed(2)}s`}: ${n.label}`;
      list.appendChild(span);
    }
  }
  const diagram = byId('cx-diagram');
  const steps = byId('cx-steps');
  if (diagram && steps) renderCounterexample(data, diagram, steps, showOp);
  drawCharts(data, byId('latency-chart')!, byId('rate-chart')!, (t0, t1) => timeline.setRange(t0, t1));

  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = '1';
}

try {
  start();
} catch (e) {
  // Never leave a blank page: say what failed where the timeline would be.
  const box = document.getElementById('timeline-box');
  if (box) box.textContent = `The interactive view failed to load: ${(e as Error).message}`;
  throw e;
}
