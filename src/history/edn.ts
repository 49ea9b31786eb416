import { parseEDNString } from 'edn-data';
import { HistoryError } from '../../checker/history.js';
import { splitEdnForms } from './edn-forms.js';
import { toHistoryOp } from './parse-op.js';
import type { HistoryOp } from './types.js';

/** Position of each parsed op in the file, for error messages. */
export interface EdnHistory {
  ops: HistoryOp[];
  lines: number[];
  /** True when `:value [k v]` tuples were split into key and value (Jepsen's independent keys). */
  independent: boolean;
}

/**
 * Reads a Jepsen/Knossos EDN history: a vector or list of op maps, or one map per line (history.edn),
 * with keywords, nil, strings, numbers, vectors, `;` comments and `#jepsen.history.Op{...}` records.
 * `:value [k v]` tuples (jepsen.independent) become `key` + `value` when every client op uses them;
 * a separate `:key` field is kept as is. Ops without `:time` use their position as time.
 */
export function parseEdnHistory(text: string, name = 'history'): EdnHistory {
  const cleaned = text.replace(/#[A-Za-z][\w.-]*(?=\{)/g, '');
  const forms = splitEdnForms(cleaned);
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  for (const form of forms) {
    if (form.incomplete) {
      throw new HistoryError(`${name}: line ${form.line}: bad EDN (this form is never closed: a missing } ] or ) )`, form.line);
    }
    let record: unknown;
    try {
      record = parseEDNString(form.text, { mapAs: 'object', keywordAs: 'string', listAs: 'array', setAs: 'array' } as never);
    } catch (e) {
      throw new HistoryError(`${name}: line ${form.line}: bad EDN (${(e as Error).message})`, form.line);
    }
    if (record === null && form.text.trim() !== 'nil') {
      throw new HistoryError(`${name}: line ${form.line}: bad EDN (incomplete form)`, form.line);
    }
    const op = toHistoryOp(record);
    if (typeof op === 'string') throw new HistoryError(`${name}: line ${form.line}: ${op}`, form.line);
    if (Number.isNaN(op.index)) op.index = ops.length;
    ops.push(op);
    lines.push(form.line);
  }
  if (ops.some((op) => Number.isNaN(op.time))) {
    // Knossos' corpus has no times: the order of the file is the real-time order.
    let last = 0;
    ops.forEach((op, i) => {
      if (Number.isNaN(op.time)) op.time = Math.max(last, i);
      last = op.time;
    });
  }
  const independent = usesIndependentKeys(ops);
  if (independent) {
    for (const op of ops) {
      if (op.process === 'nemesis' || !Array.isArray(op.value)) continue;
      const [k, v] = op.value as [unknown, unknown];
      if (op.key === undefined) op.key = String(k);
      op.value = v ?? null;
    }
  }
  return { ops, lines, independent };
}

/**
 * jepsen.independent wraps every client value as [k v]; a plain cas-register history has nil read values
 * and [from to] cas values, so: every client op's value is a pair, and no cas value is a bare [from to].
 */
function usesIndependentKeys(ops: HistoryOp[]): boolean {
  const client = ops.filter((op) => op.process !== 'nemesis' && op.key === undefined);
  if (client.length === 0) return false;
  const invokes = client.filter((op) => op.type === 'invoke');
  return invokes.every(
    (op) => Array.isArray(op.value) && op.value.length === 2 && (op.f !== 'cas' || Array.isArray((op.value as unknown[])[1])),
  );
}
