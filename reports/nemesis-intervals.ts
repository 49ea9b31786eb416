import type { HistoryOp } from '../src/history/types.js';
import { FAULTS, faultOfOp } from '../nemesis/index.js';
import type { NemesisInterval } from './report-data.js';

/** Colour of faults no description knows (imported histories, other tools' nemeses). */
const UNKNOWN_COLOR = '#6e6e6e';

/**
 * What a nemesis op does to the bands. The ops Faultline's faults emit are read from their descriptions
 * (start opens, stop closes, heal closes whatever of that family is still open). Ops no description names
 * come from other tools' histories: a start-x/stop-x pair is still read as a fault x, anything else is a
 * one-off event drawn as a thin mark.
 */
function roleOf(f: string): { kind: string; color: string; opens: boolean | 'heal' | 'instant'; group: string } {
  const known = faultOfOp(f);
  if (known) {
    const { description, phase } = known;
    return { kind: description.family, color: description.color, opens: phase === 'start' ? true : phase === 'heal' ? 'heal' : false, group: description.ops.start };
  }
  const m = /^(start|stop)-(.+)$/.exec(f);
  if (m) return { kind: m[2], color: UNKNOWN_COLOR, opens: m[1] === 'start', group: `start-${m[2]}` };
  return { kind: f, color: UNKNOWN_COLOR, opens: 'instant', group: f };
}

function nodesOf(value: unknown): string[] {
  if (value && typeof value === 'object' && Array.isArray((value as { nodes?: unknown }).nodes)) {
    return (value as { nodes: unknown[] }).nodes.map(String);
  }
  return [];
}

/** Words for what a nemesis op did, from its value: groups, nodes or clock offsets. */
export function describeNemesis(kind: string, f: string, value: unknown): string {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (Array.isArray(v.groups)) {
    return `${kind} ${(v.groups as unknown[])
      .map((g) => (Array.isArray(g) ? g.map(String).join(' ') : String(g)))
      .join(' | ')}`;
  }
  if (v.grudge && typeof v.kind === 'string') return `${kind} ${v.kind}`;
  if (v.disk && typeof v.disk === 'object') {
    const parts = Object.entries(v.disk as Record<string, Record<string, unknown>>).map(([n, d]) => `${n} ${String(d.kind ?? '?')} ${String(d.file ?? '').split('/').pop()}${d.after ? ` (${String(d.after)})` : ''}`);
    return `disk ${parts.join(', ')}`;
  }
  if (typeof v.offset === 'string') return `${kind} ${String(v.offset)} on ${nodesOf(value).join(' ') || String(v.node ?? '')}`;
  const nodes = nodesOf(value);
  if (nodes.length > 0) return `${kind} ${nodes.join(' ')}`;
  if (typeof v.lagging === 'string') return `${kind} ${v.lagging}`;
  if (typeof value === 'string' && value) return `${f} ${value}`;
  return kind;
}

interface OpenFault {
  interval: NemesisInterval;
  nodes: string[];
  group: string;
}

/**
 * Turns nemesis ops into shaded intervals. A fault starts when its start op completes (or is invoked, when
 * no completion was recorded; the invoke time is kept as `invokedAt`) and ends when the matching stop op completes; one never healed runs to
 * `end` and is marked open. A stop naming nodes closes only the faults on those nodes. Faults that
 * overlap get rows of their own (`row`): one or more rows per family, families in the catalogue's order.
 */
export function nemesisIntervals(history: HistoryOp[], endNs: number): NemesisInterval[] {
  const out: NemesisInterval[] = [];
  const open: OpenFault[] = [];
  // Collapse each nemesis invoke/completion into one event at its completion time, with the richest value.
  // Several faults run at once, so an invoke pairs with the next completion of the same f.
  const events: { f: string; time: number; value: unknown; invokedAt?: number }[] = [];
  const pending = new Map<string, { f: string; time: number; value: unknown }[]>();
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    const waiting = pending.get(op.f) ?? [];
    if (op.type === 'invoke') {
      waiting.push({ f: op.f, time: op.time, value: op.value });
      pending.set(op.f, waiting);
      continue;
    }
    const invoke = waiting.shift();
    events.push({ f: op.f, time: op.time, value: op.value ?? invoke?.value, ...(invoke ? { invokedAt: invoke.time } : {}) });
  }
  for (const waiting of pending.values()) events.push(...waiting);
  events.sort((a, b) => a.time - b.time);

  for (const ev of events) {
    const { kind, color, opens, group } = roleOf(ev.f);
    const at = ev.time / 1000;
    if (opens === 'instant') {
      out.push({ start: at, end: at, kind, color, row: 0, label: describeNemesis(kind, ev.f, ev.value), open: false });
      continue;
    }
    if (opens === true) {
      const interval: NemesisInterval = { start: at, end: endNs / 1000, kind, color, row: 0, label: describeNemesis(kind, ev.f, ev.value), open: true };
      if (ev.invokedAt !== undefined) interval.invokedAt = ev.invokedAt / 1000;
      out.push(interval);
      open.push({ interval, nodes: nodesOf(ev.value), group });
      continue;
    }
    const nodes = opens === 'heal' ? [] : nodesOf(ev.value);
    const closing = open.filter((o) => o.group === group && (nodes.length === 0 || o.nodes.length === 0 || o.nodes.some((n) => nodes.includes(n))));
    for (const o of closing) {
      o.interval.end = Math.max(o.interval.start, at);
      o.interval.open = false;
      open.splice(open.indexOf(o), 1);
    }
  }
  assignRows(out);
  return out;
}

/**
 * Gives each interval a row: families in catalogue order (unknown ones after), and within a family the
 * first row where it overlaps nothing, so two faults active at once are never drawn over each other.
 */
export function assignRows(intervals: NemesisInterval[]): void {
  const order = [...new Set([...FAULTS.map((f) => f.family), ...intervals.map((i) => i.kind)])];
  let next = 0;
  for (const kind of order) {
    const mine = intervals.filter((i) => i.kind === kind).sort((a, b) => a.start - b.start);
    if (mine.length === 0) continue;
    const rowEnds: number[] = [];
    for (const interval of mine) {
      let r = rowEnds.findIndex((end) => end < interval.start);
      if (r < 0) r = rowEnds.push(0) - 1;
      rowEnds[r] = Math.max(interval.end, interval.start);
      interval.row = next + r;
    }
    next += rowEnds.length;
  }
}
