import type { HistoryOp, Operation, ProcessId } from '../src/history/types.js';
import { UsageError } from '../src/cli/errors.js';

/** A malformed history (completion without invoke, a process invoking twice ...). Exit 3 in the CLI. */
export class HistoryError extends UsageError {
  constructor(message: string, readonly index?: number) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** How to name a position in the input for error messages, e.g. "line 12" (default "history index 11"). */
export type DescribePosition = (historyIndex: number) => string;

const defaultPosition: DescribePosition = (i) => `history index ${i}`;

/**
 * Pairs invokes with completions one raw op at a time, so a loader can stream a large file without keeping
 * every raw op. Nemesis ops are skipped. `finish()` turns invokes that never completed into `info` ops.
 */
export class OperationPairer {
  private readonly ops: Operation[] = [];
  private readonly pending = new Map<ProcessId, { op: Operation; position: number }>();
  private count = 0;

  /** `where` starts an error message ("file: line 12"); `ref` names another position inside one ("line 3"). */
  constructor(
    private readonly where: DescribePosition = defaultPosition,
    private readonly ref: DescribePosition = where,
  ) {}

  /**
   * Adds the next raw op. `position` names it in error messages (a line number for files); the
   * Operation's invokeIndex/completeIndex are the raw op's `index` (or its ordinal when absent).
   */
  add(raw: HistoryOp, position?: number): void {
    const ordinal = this.count++;
    const index = typeof raw.index === 'number' ? raw.index : ordinal;
    const at = position ?? index;
    if (raw.process === 'nemesis') return;
    const time = typeof raw.time === 'number' && Number.isFinite(raw.time) ? raw.time : index;
    const open = this.pending.get(raw.process);
    if (raw.type === 'invoke') {
      if (open) {
        throw new HistoryError(
          `${this.where(at)}: process ${String(raw.process)} invokes ${raw.f} while its ${open.op.f} ` +
            `from ${this.ref(open.position)} has not completed (a process runs one op at a time)`,
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
      throw new HistoryError(`${this.where(at)}: unknown op type ${JSON.stringify(raw.type)}`, at);
    }
    if (!open) {
      throw new HistoryError(
        `${this.where(at)}: ${raw.type} completion of ${raw.f} by process ${String(raw.process)} has no invoke`,
        at,
      );
    }
    const op = open.op;
    if (op.f !== raw.f) {
      throw new HistoryError(
        `${this.where(at)}: process ${String(raw.process)} completes ${raw.f} but invoked ${op.f} at ${this.ref(open.position)}`,
        at,
      );
    }
    this.pending.delete(raw.process);
    op.status = raw.type;
    op.completeIndex = index;
    if (raw.type === 'ok') {
      op.output = raw.value;
      op.ret = Math.max(time, op.call);
    } else if (raw.type === 'fail') {
      op.ret = Math.max(time, op.call);
    }
    if (op.key === undefined && raw.key !== undefined) op.key = raw.key;
    if (raw.node !== undefined) op.node = raw.node;
    if (raw.error !== undefined) op.error = raw.error;
  }

  /** All pairs in invoke order; ops still pending become `info` (they may or may not have happened). */
  finish(): Operation[] {
    this.pending.clear();
    return this.ops;
  }
}

/**
 * Pairs each invoke with the next completion of the same process (Jepsen/Knossos semantics): `ok` carries
 * the result, `fail` certainly did not happen, `info` and unmatched invokes may take effect any time after
 * their call (ret = Infinity). Throws HistoryError naming the history index of a completion without invoke
 * or of a process invoking while its previous op is pending.
 */
export function pairOperations(history: HistoryOp[], where?: DescribePosition): Operation[] {
  const pairer = new OperationPairer(where);
  for (const raw of history) pairer.add(raw);
  return pairer.finish();
}
