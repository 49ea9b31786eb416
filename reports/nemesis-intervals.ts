import type { HistoryOp } from '../src/history/types.js';
import type { NemesisInterval } from './report-data.js';

/** Which nemesis f opens and which closes a fault of each family. */
const FAMILIES: { kind: string; start: string; stop: string }[] = [
  { kind: 'partition', start: 'start-partition', stop: 'stop-partition' },
  { kind: 'kill', start: 'kill', stop: 'start' },
  { kind: 'pause', start: 'pause', stop: 'resume' },
  { kind: 'clock', start: 'clock-bump', stop: 'clock-reset' },
];

function familyOf(f: string): { kind: string; opens: boolean | 'instant' } {
  for (const fam of FAMILIES) {
    if (f === fam.start) return { kind: fam.kind, opens: true };
    if (f === fam.stop) return { kind: fam.kind, opens: false };
  }
  // Generic start-x/stop-x pairs from nemeses this list does not know yet.
  const m = /^(start|stop)-(.+)$/.exec(f);
  if (m) return { kind: m[2], opens: m[1] === 'start' };
  // Anything else is a one-off event (e.g. a leader transfer): drawn as a thin mark.
  return { kind: f, opens: 'instant' };
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
    return `${kind === 'partition' ? 'partition' : f} ${(v.groups as unknown[])
      .map((g) => (Array.isArray(g) ? g.map(String).join(' ') : String(g)))
      .join(' | ')}`;
  }
  if (v.offsets && typeof v.offsets === 'object') {
    const parts = Object.entries(v.offsets as Record<string, unknown>).map(([n, o]) => `${n} ${String(o)}`);
    return `clock ${parts.join(', ')}`;
  }
  const nodes = nodesOf(value);
  if (nodes.length > 0) return `${f} ${nodes.join(' ')}`;
  if (typeof value === 'string' && value) return `${f} ${value}`;
  return f;
}

interface OpenFault {
  interval: NemesisInterval;
  nodes: string[];
}

/**
 * Turns nemesis ops into shaded intervals. A fault starts when its start op completes (or is invoked, when
 * no completion was recorded) and ends when the matching stop op completes; one never healed runs to
 * `end` and is marked open. A stop naming nodes closes only the faults on those nodes.
 */
export function nemesisIntervals(history: HistoryOp[], endNs: number): NemesisInterval[] {
  const out: NemesisInterval[] = [];
  const open = new Map<string, OpenFault[]>();
  // Collapse each nemesis invoke/completion into one event at its completion time, with the richest value.
  const events: { f: string; time: number; value: unknown }[] = [];
  let pending: { f: string; time: number; value: unknown } | null = null;
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      if (pending) events.push(pending);
      pending = { f: op.f, time: op.time, value: op.value };
    } else if (pending && pending.f === op.f) {
      events.push({ f: op.f, time: op.time, value: op.value ?? pending.value });
      pending = null;
    } else {
      events.push({ f: op.f, time: op.time, value: op.value });
    }
  }
  if (pending) events.push(pending);

  for (const ev of events) {
    const { kind, opens } = familyOf(ev.f);
    const list = open.get(kind) ?? [];
    const nodes = nodesOf(ev.value);
    if (opens === 'instant') {
      out.push({ start: ev.time / 1000, end: ev.time / 1000, kind, label: describeNemesis(kind, ev.f, ev.value), open: false });
      continue;
    }
    if (opens) {
      const interval: NemesisInterval = {
        start: ev.time / 1000,
        end: endNs / 1000,
        kind,
        label: describeNemesis(kind, ev.f, ev.value),
        open: true,
      };
      out.push(interval);
      list.push({ interval, nodes });
      open.set(kind, list);
      continue;
    }
    const closing = nodes.length === 0 ? list : list.filter((o) => o.nodes.length === 0 || o.nodes.some((n) => nodes.includes(n)));
    for (const o of closing) {
      o.interval.end = Math.max(o.interval.start, ev.time / 1000);
      o.interval.open = false;
    }
    open.set(kind, list.filter((o) => !closing.includes(o)));
  }
  return out;
}
