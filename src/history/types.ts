/**
 * The history format shared by every part of Faultline (published as schemas/history-op.schema.json,
 * generated from src/run/schemas.ts; the README's CI section says how it is versioned).
 * One `HistoryOp` per JSONL line. A client op is an `invoke` followed by exactly one completion
 * (`ok` | `fail` | `info`) from the same process; nemesis ops use process "nemesis".
 */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type ProcessId = number | 'nemesis';

export interface HistoryOp {
  /** Dense, 0-based position in the history. */
  index: number;
  type: OpType;
  process: ProcessId;
  /** read, write, cas, add, append, acquire, ... or a nemesis function such as start-partition. */
  f: string;
  /** Present for keyed workloads (kv); absent for a single register. */
  key?: string;
  /** Invoke: the argument (null for reads, [from, to] for cas). Completion: the result. */
  value: unknown;
  /** Nanoseconds since the test began, monotonic. */
  time: number;
  /** The node the client talked to, when known. */
  node?: string;
  /** Error text for fail/info completions. */
  error?: string;
}

/** Invocation paired with its completion, as the checker and the report consume it. */
export interface Operation {
  /** Stable id within one checked (sub-)history: 0..n-1 in invoke order. */
  id: number;
  process: ProcessId;
  f: string;
  key?: string;
  /** The invoke's value. */
  input: unknown;
  /** The completion's value for `ok`; undefined for `info` (unknown result). */
  output: unknown;
  status: 'ok' | 'fail' | 'info';
  /** Invoke time (ns). */
  call: number;
  /** Completion time (ns); Infinity for `info` ops, which may take effect any time after the call. */
  ret: number;
  /** Indices into the raw history, so a report can link every op to its raw line. */
  invokeIndex: number;
  completeIndex?: number;
  node?: string;
  error?: string;
}
