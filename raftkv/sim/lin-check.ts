import { canonicalJson } from '../core/json-equal.js';
import type { Json } from '../core/types.js';

/** One completed client operation on a single key; `ret` is Infinity when the outcome is unknown. */
export interface SimOp {
  id: number;
  client: string;
  f: 'read' | 'write' | 'cas' | 'append';
  key: string;
  input: Json;
  /** Observed result for ok ops: read value, append's new string. */
  output: Json | undefined;
  call: number;
  ret: number;
  status: 'ok' | 'info';
}

/** Sequential spec of one key: a JSON register that also supports string append. */
function step(state: Json, op: SimOp): Json | undefined {
  switch (op.f) {
    case 'read':
      return op.status === 'info' || canonicalJson(op.output) === canonicalJson(state) ? state : undefined;
    case 'write':
      return op.input;
    case 'cas': {
      const [from, to] = op.input as [Json, Json];
      return canonicalJson(from) === canonicalJson(state) ? to : undefined;
    }
    case 'append': {
      if (state !== null && typeof state !== 'string') return undefined;
      const next = (state ?? '') + (op.input as string);
      return op.status === 'info' || op.output === next ? next : undefined;
    }
  }
}

/**
 * Wing & Gong search with a (linearized-set, state) cache, for the small per-key histories the
 * simulation produces. `info` ops may take effect any time after their call, or never. Returns
 * undefined when linearizable, else a short explanation. Gives up (returns undefined with
 * `budgetHit`) after `budget` states, so a pathological seed cannot hang the suite.
 */
export function checkLinearizable(ops: SimOp[], budget = 200_000): { error?: string; budgetHit?: boolean } {
  const n = ops.length;
  if (n === 0) return {};
  const sorted = [...ops].sort((a, b) => a.call - b.call);
  const mustCount = sorted.filter((o) => o.status === 'ok').length;
  const done = new Uint8Array(n);
  const seen = new Set<string>();
  let explored = 0;
  let best = 0;
  let budgetHit = false;

  const search = (state: Json, okDone: number): boolean => {
    if (okDone === mustCount) return true;
    if (++explored > budget) {
      budgetHit = true;
      return true;
    }
    const key = `${done.join('')}|${canonicalJson(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (okDone > best) best = okDone;
    // Only ops invoked before every pending op's return can go next.
    let horizon = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && sorted[i].ret < horizon) horizon = sorted[i].ret;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      const op = sorted[i];
      if (op.call > horizon) break;
      const next = step(state, op);
      if (next === undefined) continue;
      done[i] = 1;
      const found = search(next, okDone + (op.status === 'ok' ? 1 : 0));
      done[i] = 0;
      if (found) return true;
    }
    return false;
  };

  if (search(null, 0)) return budgetHit ? { budgetHit } : {};
  return { error: `not linearizable: key ${sorted[0].key}, at most ${best} of ${mustCount} acknowledged ops ordered` };
}
