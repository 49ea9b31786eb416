import type { ReportData } from '../report-data.js';
import { CX_COLOR, formatDuration, formatTime, STATUS_COLORS } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 34;
const LEFT = 70;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/**
 * Draws the minimal sub-history as a small lane diagram (a few ops, so plain SVG is fine) and lists the
 * longest partial linearization step by step, ending with the op that cannot be placed. Clicking an op
 * shows it on the main timeline.
 */
export function renderCounterexample(
  data: ReportData,
  diagram: HTMLElement,
  stepsList: HTMLElement,
  showOp: (row: number) => void,
): void {
  const cx = data.counterexample;
  if (!cx) return;
  const { ops } = data;
  const rows = [...cx.minimal].sort((a, b) => ops.call[a] - ops.call[b]);
  const lanes = [...new Set(rows.map((r) => ops.lane[r]))].sort((a, b) => a - b);
  const width = Math.max(600, diagram.clientWidth - 20);
  // The x axis is the order of events, not real time: only the order of invokes and completions decides
  // linearizability, and a to-scale axis turns millisecond ops on a multi-second span into slivers.
  const points = [...new Set(rows.flatMap((r) => (ops.ret[r] < 0 ? [ops.call[r]] : [ops.call[r], ops.ret[r]])))].sort((p, q) => p - q);
  const slot = (width - LEFT - 10) / (points.length + 1);
  const x = (t: number) => LEFT + (points.indexOf(t) + 0.5) * slot;
  const rightEdge = width - 10;
  const [a0, b0] = cx.span;
  const svg = el('svg', { width, height: lanes.length * ROW + 30, role: 'img', 'aria-label': 'minimal counterexample' });
  svg.appendChild(el('text', { x: LEFT, y: 12, 'font-size': 11, fill: '#5d6773' })).textContent =
    `from ${formatTime(a0)}: events in real-time order (not to scale)`;
  const right = el('text', { x: width - 10, y: 12, 'font-size': 11, fill: '#5d6773', 'text-anchor': 'end' });
  right.textContent = `to ${formatTime(b0)} (span ${formatDuration(b0 - a0)})`;
  svg.appendChild(right);
  lanes.forEach((lane, i) => {
    const label = el('text', { x: 6, y: 20 + i * ROW + ROW / 2 + 4, 'font-size': 12, fill: '#1d232a' });
    label.textContent = data.lanes[lane];
    svg.appendChild(label);
  });
  for (const row of rows) {
    const i = lanes.indexOf(ops.lane[row]);
    const y = 20 + i * ROW + 6;
    const open = ops.ret[row] < 0;
    const x0 = x(ops.call[row]);
    const x1 = open ? rightEdge : Math.max(x(ops.ret[row]), x0 + 3);
    const failing = row === cx.failing;
    const g = el('g', { class: 'cx-op', 'data-row': row, cursor: 'pointer' });
    g.appendChild(
      el('rect', {
        x: x0, y, width: x1 - x0, height: ROW - 12, rx: 3,
        fill: failing ? CX_COLOR : STATUS_COLORS[ops.status[row]],
        stroke: failing ? '#7a0010' : 'rgba(0,0,0,.35)',
        'stroke-dasharray': open ? '4 3' : '',
      }),
    );
    const text = el('text', { x: x0 + 4, y: y + (ROW - 12) / 2 + 4, 'font-size': 12, fill: failing ? '#fff' : '#1d232a' });
    text.textContent = `${ops.text[row]}${open ? ' (info: may take effect any time after)' : ''}`;
    g.appendChild(text);
    const title = el('title', {});
    title.textContent =
      `${data.lanes[ops.lane[row]]} ${ops.text[row]}: invoked ${formatTime(ops.call[row])}, ` +
      `${open ? 'no completion' : `completed ${formatTime(ops.ret[row])}`} (history.jsonl line ${ops.idx[row] + 1}); click to show it on the timeline`;
    g.appendChild(title);
    g.addEventListener('click', () => showOp(row));
    svg.appendChild(g);
  }
  diagram.appendChild(svg);

  for (const step of cx.steps) {
    const li = document.createElement('li');
    const op = document.createElement('code');
    op.textContent = `${step.process} ${step.text}`;
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = ` → state ${step.state}`;
    li.append(op, state);
    if (step.op >= 0) li.addEventListener('click', () => showOp(step.op));
    stepsList.appendChild(li);
  }
  const last = document.createElement('li');
  last.className = 'failing';
  last.dataset.testid = 'cx-failing';
  last.textContent = `${cx.failingText} — cannot be placed next: no state reached by the steps above allows it`;
  if (cx.failing >= 0) last.addEventListener('click', () => showOp(cx.failing));
  stepsList.appendChild(last);
}
