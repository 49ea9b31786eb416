import { EdnIdentities } from './edn-identities.js';
import { EdnEofError, EdnKeyword, EdnOther, EdnReader, EdnSyntaxError, plainEdn, showEdn, untagged, type EdnMap, type EdnValue } from './edn-reader.js';
import { HistoryError } from './errors.js';
import { toHistoryOp } from './parse-op.js';
import { lastTextLine, truncation, truncationError, type Truncation } from './truncation.js';
import type { HistoryOp } from './types.js';

/** Position of each parsed op in the file, for error messages. */
export interface EdnHistory {
  ops: HistoryOp[];
  lines: number[];
  /** True when `:value [k v]` tuples were split into key and value (Jepsen's independent keys). */
  independent: boolean;
  /** Set when the text was cut off and `allowTruncated` let the complete ops before the cut be read. */
  truncated?: Truncation;
}

export interface EdnReadOptions {
  allowTruncated?: boolean;
}

/**
 * Reads a Jepsen/Knossos EDN history: a vector or list of op maps (Knossos' corpus), or one map per line
 * (Jepsen's history.edn), with keywords, nil, strings, exact numbers, `;` comments and records such as
 * `#jepsen.history.Op{...}`. `:value [k v]` tuples (jepsen.independent) become `key` + `value` when every
 * client op uses them; a separate `:key` field is kept as is. Ops without `:time` use their position.
 *
 * Text that ends inside a form (a history cut off by a crash) is an error naming the file, the line where
 * the text ends and the last complete op; with `allowTruncated` the complete ops are returned with a
 * `truncated` note instead. A vector cut anywhere before its `]` is caught; a stream of maps cut exactly
 * between two maps cannot be told from a complete one.
 */
export function parseEdnHistory(text: string, name = 'history', opts: EdnReadOptions = {}): EdnHistory {
  const reader = new EdnReader(text);
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  let truncated: Truncation | undefined;
  const cut = (what: string) => {
    const last = ops.length > 0 ? { op: ops[ops.length - 1], line: lines[lines.length - 1] } : undefined;
    const t = truncation({ endLine: lastTextLine(text), what }, last);
    if (!opts.allowTruncated) throw truncationError(name, t);
    truncated = t;
  };
  const syntax = (e: unknown): never => {
    if (e instanceof EdnSyntaxError) throw new HistoryError(`${name}: line ${e.line}: bad EDN (${e.reason})`, e.line);
    throw e;
  };
  // The values and keys as read (before they became plain JS values), for EdnIdentities.
  const raw: EdnMap[] = [];
  let records = 0;
  const addOp = (form: EdnValue, line: number) => {
    // A record (#jepsen.history.Op{...}) is its map.
    const value = untagged(form);
    if (value !== form) records++;
    const op = toOp(value, name, line);
    raw.push(value as EdnMap);
    if (Number.isNaN(op.index)) op.index = ops.length;
    ops.push(op);
    lines.push(line);
  };

  try {
    const first = reader.peek();
    if (first === '[' || first === '(') {
      const openLine = reader.line;
      const close = first === '[' ? ']' : ')';
      reader.take();
      for (;;) {
        const c = reader.peek();
        if (c === close) {
          reader.take();
          break;
        }
        if (c === '') {
          cut(`the ${first === '[' ? 'vector' : 'list'} opened at line ${openLine} is never closed`);
          break;
        }
        if (c === ']' || c === ')' || c === '}') throw new EdnSyntaxError(`the history opened at line ${openLine} is closed by ${c} (expected ${close})`, reader.line);
        const start = reader.line;
        let form;
        try {
          form = reader.readForm();
        } catch (e) {
          if (!(e instanceof EdnEofError)) throw e;
          cut(`the op at line ${start} is cut off`);
          break;
        }
        addOp(form.value, form.line);
      }
      if (!truncated && reader.peek() !== '') throw new EdnSyntaxError(`text after the history's closing ${close}`, reader.line);
    } else {
      while (reader.peek() !== '') {
        const start = reader.line;
        let form;
        try {
          form = reader.readForm();
        } catch (e) {
          if (!(e instanceof EdnEofError)) throw e;
          cut(`the op at line ${start} is cut off`);
          break;
        }
        addOp(form.value, form.line);
      }
    }
  } catch (e) {
    syntax(e);
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
  // A set, or a tagged element inside an op (not an op record), can clash with a collection of another kind.
  checkIdentities(ops, raw, lines, independent, name, reader.sets > 0 || reader.tags > records);
  return truncated ? { ops, lines, independent, truncated } : { ops, lines, independent };
}

/** Two different EDN values that would compare equal once plain (see EdnIdentities) are an error naming the line. */
function checkIdentities(ops: HistoryOp[], raw: EdnMap[], lines: number[], independent: boolean, name: string, collections: boolean): void {
  const ids = new EdnIdentities(collections);
  ops.forEach((op, i) => {
    if (op.process === 'nemesis') return;
    const value = raw[i].value ?? null;
    const key = raw[i].key;
    let problem: string | undefined;
    if (key !== undefined && key !== null) problem = ids.key(key, lines[i]);
    if (!problem && independent && Array.isArray(value) && key === undefined) problem = ids.key(value[0], lines[i]) ?? ids.value(value[1] ?? null, lines[i]);
    else problem ??= ids.value(value, lines[i]);
    if (problem) throw new HistoryError(`${name}: line ${lines[i]}: ${problem}`, lines[i]);
  });
}

/** One EDN op map as a HistoryOp; the process is checked before keywords become strings, to name it as written. */
function toOp(value: EdnValue, name: string, line: number): HistoryOp {
  const fail = (reason: string): never => {
    throw new HistoryError(`${name}: line ${line}: ${reason}`, line);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof EdnKeyword || value instanceof EdnOther) {
    return fail(`expected an op map, got ${showEdn(value)}`);
  }
  const p = value.process;
  const pname = p instanceof EdnKeyword ? p.name : p instanceof EdnOther && p.kind === 'symbol' ? p.value : p;
  const nemesis = pname === 'nemesis';
  if (!nemesis && !(typeof p === 'number' && Number.isSafeInteger(p))) {
    fail(`"process" must be an integer or :nemesis (got ${p === undefined ? 'nothing' : showEdn(p)})`);
  }
  const op = toHistoryOp(plainEdn(value), showEdn);
  if (typeof op === 'string') return fail(op);
  return op;
}

/**
 * jepsen.independent wraps every client value as [k v]; a plain cas-register history has nil read values
 * and [from to] cas values, so: every client op's value is a pair, and no cas value is a bare [from to].
 */
function usesIndependentKeys(ops: HistoryOp[]): boolean {
  const client = ops.filter((op) => op.process !== 'nemesis' && op.key === undefined);
  if (client.length === 0) return false;
  const invokes = client.filter((op) => op.type === 'invoke');
  // A key is a number or a name: a transaction of two micro-ops, [[:append 1 1] [:r 2 nil]], is no tuple.
  const scalar = (k: unknown) => typeof k === 'number' || typeof k === 'string';
  return invokes.length > 0 && invokes.every(
    (op) => Array.isArray(op.value) && op.value.length === 2 && scalar(op.value[0]) && (op.f !== 'cas' || Array.isArray((op.value as unknown[])[1])),
  );
}
