import { plainKey, showEdn } from './edn-reader.js';
import { HistoryError } from './errors.js';
import type { HistoryOp, Operation, ProcessId } from './types.js';

/** How to name a position in the input for error messages, e.g. "line 12" (default "history index 11"). */
export type DescribePosition = (position: number) => string;

const defaultPosition: DescribePosition = (i) => `history index ${i}`;

export interface PairerOptions {
  /** Starts an error message ("file: line 12"). */
  where?: DescribePosition;
  /** Names another position inside a message ("line 3"); default `where`. */
  ref?: DescribePosition;
  /**
   * Lenient pairing for a report, which must draw even a damaged history: instead of throwing, a problem is
   * passed here and the op is left out (an orphan completion) or left unfinished (an invoke that is
   * followed by another invoke of the same process).
   */
  onProblem?: (problem: string) => void;
  /**
   * Knossos's `complete`: an op invoked with no value (nil) takes the value its `ok` completion carries
   * (`(or (:value invoke) (:value ok))`), so a write invoked with nil that completed with 5 wrote 5. The
   * meaning of Jepsen/Knossos EDN; in our JSONL the invoke's value is the argument (a write of null).
   * An invoke and an `ok` that carry two different values are an error here: older Knossos keeps the
   * invoke's value, newer Knossos takes the completion's, so the history does not say what the op was.
   */
  completeFromResult?: boolean;
}

/** What the pairer saw besides client operations. */
export interface PairingCounts {
  /** Raw nemesis records (each invoke and each completion counts). */
  nemesis: number;
  /** Client invokes with no completion in the history: checked as `info` (they may have taken effect). */
  neverCompleted: number;
  /** Client-op times earlier than an op before them in the history, raised to that op's time. */
  timesRaised: number;
}

/**
 * Pairs invokes with completions one raw op at a time (Jepsen/Knossos semantics), so a reader can stream a
 * large file without keeping every raw op. This is the one pairer: the checker, `faultline check`, the
 * report and the benchmarks all go through it. Nemesis ops are counted and skipped. `ok` carries the result,
 * `fail` certainly did not happen, `info` and never-completed invokes may take effect any time after their
 * call (ret = Infinity).
 *
 * Malformed histories are errors naming the position: a completion without an invoke (also a second
 * completion), an invoke while the process has an op open, a completion of another f, and an invoke by a
 * process whose previous op ended `info` — Jepsen gives a crashed process a new id, and Knossos rejects a
 * crashed process that invokes again, so a reused id means the history was not written the way it reads.
 */
export class OperationPairer {
  private readonly ops: Operation[] = [];
  private readonly pending = new Map<ProcessId, { op: Operation; position: number }>();
  /** Where each process's last op completed, and how: names the earlier op in error messages. */
  private readonly last = new Map<ProcessId, { f: string; type: string; invoked: number; completed: number }>();
  private readonly where: DescribePosition;
  private readonly ref: DescribePosition;
  private readonly onProblem?: (problem: string) => void;
  private readonly completeFromResult: boolean;
  private count = 0;
  /** The index of the op added before this one (indices must grow). */
  private lastIndex: number | undefined;
  private orphans = 0;
  private nemesis = 0;
  /** The latest client-op time so far: an op's time is never taken as earlier than an op before it. */
  private lastTime = -Infinity;
  private timesRaised = 0;

  constructor(o: PairerOptions = {}) {
    this.where = o.where ?? defaultPosition;
    this.ref = o.ref ?? this.where;
    this.onProblem = o.onProblem;
    this.completeFromResult = o.completeFromResult ?? false;
  }

  private malformed = 0;
  private firstMalformed = '';

  private fail(message: string, at: number): void {
    if (!this.onProblem) throw new HistoryError(`${this.where(at)}: ${message}`, at);
    if (this.malformed++ === 0) this.firstMalformed = `${this.where(at)}: ${message}`;
  }

  /**
   * Adds the next raw op. `position` names it in error messages (a line number for files); the
   * Operation's invokeIndex/completeIndex are the raw op's `index` (or its ordinal when absent).
   */
  add(raw: HistoryOp, position?: number): void {
    const ordinal = this.count++;
    const index = typeof raw.index === 'number' && Number.isFinite(raw.index) ? raw.index : ordinal;
    const at = position ?? index;
    // Events at one time are ordered by their index, so an index that does not grow with the position would
    // reorder them: all-zero indices made every op concurrent with every other, and a stale read passed.
    if (this.lastIndex !== undefined && index <= this.lastIndex) {
      this.fail(`index ${index} is not greater than the previous op's index ${this.lastIndex}: the ops are out of history order or their indices are damaged`, at);
    }
    this.lastIndex = index;
    if (raw.process === 'nemesis') {
      this.nemesis++;
      return;
    }
    // The order of the ops is the history's order of events (Knossos reads it so); times only place them.
    // A time earlier than an op before it (a writer that stamped ops out of order, a damaged file) would let
    // two ops that the order puts one after the other pass as concurrent: a stale read came back valid. Such
    // a time is raised to the one before it, and ties are ordered by index.
    const stamped = typeof raw.time === 'number' && Number.isFinite(raw.time) ? raw.time : index;
    if (stamped < this.lastTime) this.timesRaised++;
    const time = Math.max(this.lastTime, stamped);
    this.lastTime = time;
    const open = this.pending.get(raw.process);
    const p = String(raw.process);
    if (raw.type === 'invoke') {
      if (open) {
        this.fail(`process ${p} invokes ${raw.f} while its ${open.op.f} from ${this.ref(open.position)} has not completed (a process runs one op at a time)`, at);
        // Lenient: the first op stays unfinished (info).
      }
      const prev = this.last.get(raw.process);
      if (prev?.type === 'info' && !this.onProblem) {
        this.fail(
          `process ${p} invokes ${raw.f}, but its ${prev.f} from ${this.ref(prev.invoked)} ended info at ${this.ref(prev.completed)}; ` +
            `a crashed process gets a new id in Jepsen, so a history that reuses it is malformed`,
          at,
        );
      }
      const op: Operation = {
        id: this.ops.length,
        process: raw.process,
        f: raw.f,
        input: raw.value,
        output: undefined,
        status: 'info',
        call: time,
        ret: Infinity,
        invokeIndex: index,
      };
      if (raw.key !== undefined) op.key = raw.key;
      if (raw.node !== undefined) op.node = raw.node;
      this.ops.push(op);
      this.pending.set(raw.process, { op, position: at });
      return;
    }
    if (raw.type !== 'ok' && raw.type !== 'fail' && raw.type !== 'info') {
      this.fail(`unknown op type ${JSON.stringify(raw.type)} (expected invoke, ok, fail or info)`, at);
      return;
    }
    if (!open) {
      const prev = this.last.get(raw.process);
      const earlier = prev ? ` (its last op, ${prev.f} from ${this.ref(prev.invoked)}, already completed at ${this.ref(prev.completed)})` : '';
      if (this.onProblem) this.orphans++;
      else this.fail(`${raw.type} completion of ${raw.f} by process ${p} has no invoke${earlier}`, at);
      return;
    }
    const op = open.op;
    if (op.f !== raw.f) {
      this.fail(`process ${p} completes ${raw.f} but invoked ${op.f} at ${this.ref(open.position)}`, at);
    }
    if (op.key !== undefined && raw.key !== undefined && op.key !== raw.key) {
      this.fail(`process ${p} completes ${raw.f} on key ${raw.key} but invoked it on key ${op.key} at ${this.ref(open.position)}`, at);
    }
    this.pending.delete(raw.process);
    this.last.set(raw.process, { f: op.f, type: raw.type, invoked: open.position, completed: at });
    op.status = raw.type;
    op.completeIndex = index;
    if (raw.type === 'ok') {
      op.output = raw.value;
      if (this.completeFromResult) this.completeInput(op, raw.value, open.position, at);
      op.ret = Math.max(time, op.call);
    } else if (raw.type === 'fail') {
      op.ret = Math.max(time, op.call);
    }
    if (op.key === undefined && raw.key !== undefined) op.key = raw.key;
    if (raw.node !== undefined) op.node = raw.node;
    if (raw.error !== undefined) op.error = raw.error;
  }

  private completeInput(op: Operation, result: unknown, invoked: number, at: number): void {
    const filled = fillNils(op.input, result);
    if (filled.conflict) {
      this.fail(
        `${op.f} completed ok with ${showEdn(result)} but was invoked with ${showEdn(op.input)} at ${this.ref(invoked)}: Knossos versions disagree on which value such an op had (older ones keep the invoke's, newer ones take the completion's), so the history does not say what was done`,
        at,
      );
      return;
    }
    op.input = filled.value;
  }

  /** Counts so far (call after the last add for the final figures). */
  get counts(): PairingCounts {
    return { nemesis: this.nemesis, neverCompleted: this.pending.size, timesRaised: this.timesRaised };
  }

  /** All pairs in invoke order; ops still pending stay `info` (they may or may not have happened). */
  finish(): Operation[] {
    if (this.orphans > 0 && this.onProblem) this.onProblem(`history: ${this.orphans} completion(s) without an invoke were ignored`);
    if (this.timesRaised > 0 && this.onProblem) this.onProblem(`history: ${this.timesRaised} op time(s) earlier than an op before them were drawn at that op's time (the history's order decides)`);
    if (this.malformed > 0 && this.onProblem) this.onProblem(`history: ${this.malformed} malformed op(s) drawn as well as possible (first: ${this.firstMalformed})`);
    return this.ops;
  }
}

/** Pairs a whole raw history at once; see OperationPairer. Throws HistoryError naming the history index. */
export function pairOperations(history: HistoryOp[], where?: DescribePosition): Operation[] {
  const pairer = new OperationPairer({ where });
  for (const raw of history) pairer.add(raw);
  return pairer.finish();
}

/**
 * The invoke's value with every nil in it filled from the same place in the completion's value: a read
 * invoked with nil, or a transaction `[[:append 1 1] [:r 2 nil]]` completed as `[[:append 1 1] [:r 2 [1]]]`,
 * takes what the completion says. Two non-nil values in one place that differ are a conflict.
 */
function fillNils(invoked: unknown, result: unknown): { value: unknown; conflict?: true } {
  if (invoked === null || invoked === undefined) return { value: result };
  if (result === null || result === undefined) return { value: invoked };
  if (Array.isArray(invoked) && Array.isArray(result) && invoked.length === result.length) {
    const value: unknown[] = [];
    for (let i = 0; i < invoked.length; i++) {
      const part = fillNils(invoked[i], result[i]);
      if (part.conflict) return part;
      value.push(part.value);
    }
    return { value };
  }
  if (isPlainObject(invoked) && isPlainObject(result)) {
    const keys = Object.keys(invoked);
    if (keys.length === Object.keys(result).length && keys.every((k) => Object.hasOwn(result, k))) {
      const value: Record<string, unknown> = {};
      for (const k of keys) {
        const part = fillNils(invoked[k], result[k]);
        if (part.conflict) return part;
        value[k] = part.value;
      }
      return { value };
    }
  }
  return plainKey(invoked) === plainKey(result) ? { value: invoked } : { value: invoked, conflict: true };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

