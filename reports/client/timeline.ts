import type { ReportData } from '../report-data.js';
import { CX_COLOR, formatTime, niceStep, STATUS_COLORS } from './format.js';
import { OpsView } from './ops-view.js';

const GUTTER = 70;
const AXIS = 24;
const FAULT_ROW = 16;
const LANE = 18;
const BAR = 12;
const MIN_SPAN_US = 5;

/** A fault band's #rrggbb colour at `alpha`. */
const faultColor = (hex: string, alpha: number) => {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  const [r, g, b] = m ? [m[1], m[2], m[3]].map((h) => parseInt(h, 16)) : [110, 110, 110];
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
};

/**
 * The canvas timeline: one lane per process, each op a bar from invoke to completion, nemesis faults as
 * shaded bands. Virtualised: each frame draws only the lanes in view and, per lane, only the ops that
 * overlap the visible time range (found by binary search), so 100,000 ops cost what is on screen.
 */
export class Timeline {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly view: OpsView;
  /** Rows of the fault strip: overlapping faults are stacked, one row each. */
  private readonly faultRows: number;
  private readonly minimal: Set<number>;
  private t0 = 0;
  private t1 = 1;
  private scrollY = 0;
  private width = 0;
  private height = 0;
  private frame = 0;
  private drag: { x: number; y: number; t0: number; t1: number; scrollY: number } | null = null;
  private highlight = true;
  /** Display position -> lane, and lane -> display position. */
  private order: Int32Array = new Int32Array(0);
  private slotOf: Int32Array = new Int32Array(0);

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    private readonly rangeLabel: HTMLElement | null,
    private readonly data: ReportData,
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.view = new OpsView(data);
    this.faultRows = data.nemesis.reduce((rows, n) => Math.max(rows, n.row + 1), 0);
    this.minimal = new Set(data.counterexample?.minimal ?? []);
    this.arrangeLanes();
    this.reset(false);
    this.listen();
    this.resize();
  }

  /**
   * While the counterexample is highlighted its processes are pinned to the top lanes: in a long run they
   * can be thousands of lanes apart, and the point is to see them together.
   */
  private arrangeLanes(): void {
    const n = this.data.lanes.length;
    const pinned = this.highlight && this.data.counterexample
      ? [...new Set(this.data.counterexample.minimal.map((r) => this.data.ops.lane[r]))].sort((a, b) => a - b)
      : [];
    const pinnedSet = new Set(pinned);
    const order = [...pinned];
    for (let lane = 0; lane < n; lane++) if (!pinnedSet.has(lane)) order.push(lane);
    this.order = Int32Array.from(order);
    this.slotOf = new Int32Array(n);
    order.forEach((lane, slot) => (this.slotOf[lane] = slot));
    this.pinnedCount = pinned.length;
  }
  private pinnedCount = 0;
  /** Only ops on this key are drawn (index into data.keys), or -1 for all. */
  private keyFilter = -1;

  filterKey(key: number): void {
    this.keyFilter = key;
    this.requestDraw();
  }

  get highlightCounterexample(): boolean {
    return this.highlight;
  }
  set highlightCounterexample(on: boolean) {
    this.highlight = on;
    this.arrangeLanes();
    this.requestDraw();
  }

  private get lanesTop(): number {
    return AXIS + this.faultRows * FAULT_ROW + 4;
  }
  private get plotWidth(): number {
    return Math.max(10, this.width - GUTTER - 10);
  }
  private x(t: number): number {
    return GUTTER + ((t - this.t0) / (this.t1 - this.t0)) * this.plotWidth;
  }
  private t(x: number): number {
    return this.t0 + ((x - GUTTER) / this.plotWidth) * (this.t1 - this.t0);
  }
  private maxScroll(): number {
    return Math.max(0, this.data.lanes.length * LANE - (this.height - this.lanesTop));
  }

  /** The visible time range (µs); also published on the canvas as data-t0/data-t1. */
  get range(): [number, number] {
    return [this.t0, this.t1];
  }

  setRange(t0: number, t1: number, redraw = true): void {
    const full = Math.max(this.data.end, 1);
    let span = Math.max(MIN_SPAN_US, t1 - t0);
    span = Math.min(span, full * 1.1);
    let a = t0;
    a = Math.max(-full * 0.05, Math.min(a, full * 1.05 - span));
    this.t0 = a;
    this.t1 = a + span;
    if (redraw) this.requestDraw();
  }

  reset(redraw = true): void {
    const end = Math.max(this.data.end, 1);
    this.setRange(-end * 0.01, end * 1.01, redraw);
    this.scrollY = 0;
  }

  zoom(factor: number, anchorX = GUTTER + this.plotWidth / 2): void {
    const anchor = this.t(anchorX);
    this.setRange(anchor - (anchor - this.t0) * factor, anchor + (this.t1 - anchor) * factor);
  }

  /** Zooms to the counterexample's time span and scrolls its processes into view. */
  showCounterexample(): void {
    const cx = this.data.counterexample;
    if (!cx) return;
    const [a, b] = cx.span;
    const pad = Math.max((b - a) * 0.3, 500);
    this.setRange(a - pad, b + pad, false);
    if (!this.highlight) this.highlightCounterexample = true;
    this.scrollY = 0; // its lanes are pinned at the top
    this.requestDraw();
  }

  /** Centres the view on one op, keeping the zoom level unless the op is wider than the view. */
  showOp(row: number): void {
    const a = this.data.ops.call[row];
    const b = this.view.end(row);
    const span = Math.max(this.t1 - this.t0, (b - a) * 1.5);
    this.setRange((a + b) / 2 - span / 2, (a + b) / 2 + span / 2, false);
    const laneY = this.slotOf[this.data.ops.lane[row]] * LANE;
    this.scrollY = Math.max(0, Math.min(this.maxScroll(), laneY - (this.height - this.lanesTop) / 2));
    this.requestDraw();
  }

  resize(): void {
    const box = this.canvas.parentElement!;
    const dpr = window.devicePixelRatio || 1;
    this.width = box.clientWidth;
    this.height = box.clientHeight;
    this.canvas.width = Math.round(this.width * dpr);
    this.canvas.height = Math.round(this.height * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.scrollY = Math.min(this.scrollY, this.maxScroll());
    this.draw();
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const { ctx, width, height, data } = this;
    const top = this.lanesTop;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';

    // Time grid and axis.
    const step = niceStep(this.t1 - this.t0, this.plotWidth / 110);
    ctx.strokeStyle = '#eef0f3';
    ctx.fillStyle = '#5d6773';
    ctx.lineWidth = 1;
    for (let t = Math.ceil(this.t0 / step) * step; t <= this.t1; t += step) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS - 4);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.fillText(formatTime(t), x + 3, AXIS / 2);
    }

    // Nemesis: a labelled strip per fault kind, and a band shaded across every lane.
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, width - GUTTER, height);
    ctx.clip();
    for (const n of data.nemesis) {
      const row = n.row;
      const x0 = this.x(n.start);
      const x1 = Math.max(this.x(n.end), x0 + 2);
      if (x1 < GUTTER || x0 > width) continue;
      ctx.fillStyle = faultColor(n.color, 0.1);
      ctx.fillRect(x0, top, x1 - x0, height - top);
      const y = AXIS + row * FAULT_ROW;
      if (n.invokedAt !== undefined && n.invokedAt < n.start) {
        // Requested but not yet in effect (Docker was still carrying it out): a fainter lead-in.
        const xi = this.x(n.invokedAt);
        ctx.fillStyle = faultColor(n.color, 0.25);
        ctx.fillRect(xi, y + 1, x0 - xi, FAULT_ROW - 2);
      }
      ctx.fillStyle = faultColor(n.color, 0.55);
      ctx.fillRect(x0, y + 1, x1 - x0, FAULT_ROW - 2);
      if (x1 - x0 > 30) {
        ctx.fillStyle = '#fff';
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, y, x1 - x0, FAULT_ROW);
        ctx.clip();
        ctx.fillText(n.label + (n.open ? ' (never healed)' : ''), Math.max(x0, GUTTER) + 3, y + FAULT_ROW / 2);
        ctx.restore();
      }
    }
    ctx.restore();

    // Lanes.
    const firstLane = Math.max(0, Math.floor(this.scrollY / LANE));
    const lastLane = Math.min(data.lanes.length - 1, Math.floor((this.scrollY + height - top) / LANE));
    const cx = this.highlightCounterexample ? data.counterexample : null;
    const dim = cx !== null;
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, top, width, height - top);
    ctx.clip();
    for (let slot = firstLane; slot <= lastLane; slot++) {
      const lane = this.order[slot];
      const y = top + slot * LANE - this.scrollY;
      if (slot < this.pinnedCount && cx) {
        ctx.fillStyle = 'rgba(208, 2, 27, 0.06)';
        ctx.fillRect(0, y, width, LANE);
      } else if (slot % 2 === 1) {
        ctx.fillStyle = 'rgba(0,0,0,0.025)';
        ctx.fillRect(0, y, width, LANE);
      }
      ctx.fillStyle = '#5d6773';
      ctx.fillText(data.lanes[lane], 6, y + LANE / 2);
      this.drawLane(lane, y + (LANE - BAR) / 2, dim);
    }
    if (cx && this.pinnedCount > 0) {
      const y = top + this.pinnedCount * LANE - this.scrollY;
      ctx.strokeStyle = 'rgba(208, 2, 27, 0.5)';
      ctx.beginPath();
      ctx.moveTo(0, y + 0.5);
      ctx.lineTo(width, y + 0.5);
      ctx.stroke();
    }
    if (cx) this.drawCounterexample(firstLane, lastLane, top);
    ctx.restore();

    // Frame lines and a scroll indicator when there are more lanes than fit.
    ctx.strokeStyle = '#dde2e8';
    ctx.beginPath();
    ctx.moveTo(GUTTER - 0.5, 0);
    ctx.lineTo(GUTTER - 0.5, height);
    ctx.moveTo(0, top - 0.5);
    ctx.lineTo(width, top - 0.5);
    ctx.stroke();
    const total = data.lanes.length * LANE;
    const visible = height - top;
    if (total > visible) {
      const h = Math.max(20, (visible / total) * visible);
      const y = top + (this.scrollY / (total - visible)) * (visible - h);
      ctx.fillStyle = 'rgba(0,0,0,0.25)';
      ctx.fillRect(width - 6, y, 4, h);
    }

    this.canvas.dataset.t0 = String(this.t0);
    this.canvas.dataset.t1 = String(this.t1);
    if (this.rangeLabel) this.rangeLabel.textContent = `${formatTime(this.t0)} – ${formatTime(this.t1)}`;
  }

  private drawLane(lane: number, y: number, dim: boolean): void {
    const { ctx, data } = this;
    const { ops } = data;
    const rows = this.view.byLane[lane];
    let lastPx = -1;
    let lastStatus = -1;
    for (let p = this.view.firstEndingAfter(lane, this.t0); p < rows.length; p++) {
      const row = rows[p];
      const call = ops.call[row];
      if (call > this.t1) break;
      if (this.keyFilter >= 0 && ops.key[row] !== this.keyFilter) continue;
      const x0 = Math.max(GUTTER, this.x(call));
      const x1 = Math.min(this.width, this.x(this.view.end(row)));
      const status = ops.status[row];
      // Zoomed out, thousands of ops share a pixel: skip bars that would not change it.
      if (Math.round(x1) <= lastPx && status === lastStatus) continue;
      lastPx = Math.round(x1);
      lastStatus = status;
      const w = Math.max(1, x1 - x0);
      ctx.globalAlpha = dim && !this.minimal.has(row) ? 0.35 : 1;
      ctx.fillStyle = STATUS_COLORS[status];
      ctx.fillRect(x0, y, w, BAR);
      if (w > 40) {
        ctx.fillStyle = '#1d232a';
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, y, w, BAR);
        ctx.clip();
        ctx.fillText(ops.text[row], x0 + 3, y + BAR / 2 + 0.5);
        ctx.restore();
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawCounterexample(firstLane: number, lastLane: number, top: number): void {
    const { ctx, data } = this;
    const cx = data.counterexample!;
    for (const row of cx.minimal) {
      const slot = this.slotOf[data.ops.lane[row]];
      if (slot < firstLane || slot > lastLane) continue;
      const y = top + slot * LANE - this.scrollY + (LANE - BAR) / 2;
      const x0 = Math.max(GUTTER, this.x(data.ops.call[row]));
      const x1 = Math.min(this.width, this.x(this.view.end(row)));
      if (x1 < GUTTER || x0 > this.width) continue;
      const w = Math.max(2, x1 - x0);
      if (row === cx.failing) {
        ctx.fillStyle = CX_COLOR;
        ctx.fillRect(x0, y, w, BAR);
      }
      // Label every counterexample op, beside the bar when the bar is too thin to hold it.
      const label = `${data.ops.text[row]}${row === cx.failing ? '  ✗ cannot be linearized' : ''}`;
      const inside = w > ctx.measureText(label).width + 8;
      ctx.fillStyle = inside ? (row === cx.failing ? '#fff' : '#1d232a') : CX_COLOR;
      ctx.font = 'bold 11px system-ui, sans-serif';
      ctx.fillText(label, inside ? x0 + 3 : x0 + w + 5, y + BAR / 2 + 0.5);
      ctx.font = '11px system-ui, sans-serif';
      ctx.strokeStyle = CX_COLOR;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 - 1, y - 1, w + 2, BAR + 2);
    }
  }

  /** Canvas coordinates of the middle of an op's visible bar (null when off screen); used by tests. */
  positionOf(row: number): { x: number; y: number } | null {
    const y = this.lanesTop + this.slotOf[this.data.ops.lane[row]] * LANE - this.scrollY + LANE / 2;
    const x0 = Math.max(GUTTER, this.x(this.data.ops.call[row]));
    const x1 = Math.min(this.width, this.x(this.view.end(row)));
    if (y < this.lanesTop || y > this.height || x1 < GUTTER || x0 > this.width) return null;
    return { x: (x0 + Math.max(x1, x0 + 1)) / 2, y };
  }

  private laneAt(y: number): number {
    const slot = Math.floor((y - this.lanesTop + this.scrollY) / LANE);
    return y >= this.lanesTop && slot >= 0 && slot < this.data.lanes.length ? this.order[slot] : -1;
  }

  /** What is under the pointer, in words (an op, or the faults active at that time), or null. */
  describeAt(x: number, y: number): string | null {
    if (x < GUTTER) return null;
    const t = this.t(x);
    if (y >= AXIS && y < this.lanesTop) {
      const faults = this.data.nemesis.filter((n) => t >= (n.invokedAt ?? n.start) && t <= Math.max(n.end, n.start + 3 * this.usPerPx()));
      return faults.length ? faults.map((n) => `${n.label}\n${n.invokedAt !== undefined ? `requested ${formatTime(n.invokedAt)}, in effect ` : ''}${formatTime(n.start)} – ${n.open ? 'never healed' : formatTime(n.end)}`).join('\n\n') : null;
    }
    const lane = this.laneAt(y);
    if (lane < 0) return null;
    const row = this.view.opAt(lane, t, 2 * this.usPerPx());
    if (row < 0 || (this.keyFilter >= 0 && this.data.ops.key[row] !== this.keyFilter)) return null;
    const cx = this.data.counterexample;
    const tag = cx && row === cx.failing ? '\n✗ the operation that cannot be linearized' : cx && this.minimal.has(row) ? '\n• part of the minimal counterexample' : '';
    return this.view.describe(row) + tag;
  }

  private usPerPx(): number {
    return (this.t1 - this.t0) / this.plotWidth;
  }

  private listen(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = c.getBoundingClientRect();
        if (e.shiftKey) {
          this.scrollY = Math.max(0, Math.min(this.maxScroll(), this.scrollY + (e.deltaY || e.deltaX)));
          this.requestDraw();
        } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          const dt = e.deltaX * this.usPerPx();
          this.setRange(this.t0 + dt, this.t1 + dt);
        } else {
          this.zoom(Math.pow(1.0015, e.deltaY), e.clientX - rect.left);
        }
      },
      { passive: false },
    );
    c.addEventListener('mousedown', (e) => {
      this.drag = { x: e.clientX, y: e.clientY, t0: this.t0, t1: this.t1, scrollY: this.scrollY };
      c.classList.add('dragging');
      this.tooltip.hidden = true;
    });
    window.addEventListener('mouseup', () => {
      this.drag = null;
      c.classList.remove('dragging');
    });
    window.addEventListener('mousemove', (e) => {
      if (!this.drag) return;
      const dt = ((e.clientX - this.drag.x) / this.plotWidth) * (this.drag.t1 - this.drag.t0);
      this.setRange(this.drag.t0 - dt, this.drag.t1 - dt, false);
      this.scrollY = Math.max(0, Math.min(this.maxScroll(), this.drag.scrollY - (e.clientY - this.drag.y)));
      this.requestDraw();
    });
    c.addEventListener('mousemove', (e) => {
      if (this.drag) return;
      const rect = c.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const y = e.clientY - rect.top;
      const text = this.describeAt(x, y);
      if (!text) {
        this.tooltip.hidden = true;
        return;
      }
      this.tooltip.textContent = text;
      this.tooltip.hidden = false;
      const tw = this.tooltip.offsetWidth;
      this.tooltip.style.left = `${Math.min(x + 14, this.width - tw - 4)}px`;
      this.tooltip.style.top = `${Math.min(y + 14, this.height - this.tooltip.offsetHeight - 4)}px`;
    });
    c.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    c.addEventListener('dblclick', (e) => this.zoom(0.5, e.clientX - c.getBoundingClientRect().left));
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.resize()).observe(c.parentElement!);
    else addEventListener('resize', () => this.resize());
  }
}
