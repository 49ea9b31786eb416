import type { Operation } from '../src/history/types.js';
import { compareEvents, precedes, returnPoint } from './order.js';
import type { SearchResult } from './search/wgl.js';
import type { Model } from './types.js';
import { unexplainedValues } from './coherence.js';

/** Long lists in an explanation are cut here; the minimal history itself is always complete. */
const MAX_LISTED = 10;

/**
 * The op the search got stuck on: among the `ok` ops missing from the longest partial linearization,
 * the one that returns first (every linearization had to place it before its return, and none could).
 */
export function stuckOp(search: SearchResult): Operation | undefined {
  const placed = new Set(search.longest[0]?.order ?? []);
  let best: Operation | undefined;
  search.ops.forEach((op, i) => {
    if (placed.has(i) || op.status !== 'ok') return;
    if (!best || compareEvents(returnPoint(op), returnPoint(best)) < 0) best = op;
  });
  return best;
}

/** "a before b" pairs forced by real time, without the ones implied by transitivity. */
function forcedOrder(ops: Operation[]): [Operation, Operation][] {
  const edges: [Operation, Operation][] = [];
  for (const a of ops) {
    for (const b of ops) {
      if (a === b || !precedes(a, b)) continue;
      if (ops.some((c) => c !== a && c !== b && precedes(a, c) && precedes(c, b))) continue;
      edges.push([a, b]);
    }
  }
  return edges;
}

/**
 * Plain words for a failing (minimal) sub-history: which op cannot be placed, what real time forces, the
 * longest valid order and the state it leaves, and which ops cannot follow it.
 */
export function explainFailure(
  model: Model,
  key: string | null,
  minimal: Operation[],
  minimalSearch: SearchResult,
  isMinimal: boolean,
  full: Operation[] = minimal,
): string {
  const d = (op: Operation) => model.describeOp(op);
  const stuck = stuckOp(minimalSearch);
  const where = key !== null ? ` on key ${key}` : '';
  const parts: string[] = [];
  const why = stuck ? unexplainedValues(model, stuck, minimal, full) : [];
  parts.push(`${stuck ? d(stuck) : 'The history'} cannot be linearized${where}${why.length ? `: ${why.join('; ')}` : ''}.`);
  const ordered = [...minimal].sort((a, b) => a.call - b.call || a.invokeIndex - b.invokeIndex);
  parts.push(
    `${isMinimal ? 'A minimal' : 'A smaller (shrinking stopped at its budget)'} non-linearizable sub-history has ` +
      `${minimal.length} op${minimal.length === 1 ? '' : 's'}: ${ordered.map(d).join('; ')}.`,
  );
  const edges = forcedOrder(minimal);
  if (edges.length === 0) {
    if (minimal.length > 1) parts.push('They all overlap in time, so any order is allowed by real time.');
  }
  else {
    const shown = edges.slice(0, MAX_LISTED).map(([a, b]) => `${d(a)} before ${d(b)}`);
    const more = edges.length > MAX_LISTED ? `, and ${edges.length - MAX_LISTED} more` : '';
    parts.push(`Real time forces ${shown.join(', and ')}${more}.`);
  }
  const infos = minimal.filter((op) => op.status === 'info');
  if (infos.length > 0) {
    parts.push(`${infos.slice(0, MAX_LISTED).map(d).join('; ')}${infos.length > MAX_LISTED ? ` (and ${infos.length - MAX_LISTED} more)` : ''} ` +
      `${infos.length > 1 ? 'have unknown results: each' : 'has an unknown result: it'} may take effect any time after its call, or never.`);
  }
  const best = minimalSearch.longest[0];
  const init = model.describeState(model.init());
  if (!best || best.order.length === 0) {
    if (minimal.length > 1) parts.push(`From the initial state ${init}, no op can go first.`);
  } else {
    const steps = best.order.map((pos) => d(minimalSearch.ops[pos])).join(', then ');
    const state = model.describeState(best.states[best.states.length - 1]);
    const placed = new Set(best.order);
    const rest = minimalSearch.ops.filter((op, i) => !placed.has(i) && op.status === 'ok');
    parts.push(
      `From the initial state ${init}, the longest valid order is ${steps} (state ${state}); ` +
        `every order allowed by real time fails, and after this one ${rest.map(d).join(' / ') || 'nothing'} cannot take effect.`,
    );
  }
  return parts.join(' ');
}
