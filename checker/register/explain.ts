import type { Operation } from '../../src/history/types.js';
import { showValue } from '../models/value.js';
import type { Model } from '../types.js';
import type { Contradiction } from './analyze.js';
import { observedValue, writtenValue } from './dependencies.js';
import type { Versions } from './versions.js';

/** Times in the history are nanoseconds; unit-time test histories read better as plain numbers. */
export function showTime(ns: number): string {
  if (!Number.isFinite(ns)) return 'never';
  return Math.abs(ns) >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : `t=${ns}`;
}

/** The value an op is about: what a read returned, what a write or cas wrote. */
function valueOf(op: Operation): string {
  return showValue(op.f === 'read' ? observedValue(op) : writtenValue(op));
}

export interface Explained {
  /** The op that cannot be placed. */
  op: Operation;
  explanation: string;
}

/**
 * Words for a contradiction found in a (small) history. `failedWriters` names failed ops by the value
 * they would have written, to explain reads of a value only a failed op wrote.
 */
export function explain(
  model: Model,
  ops: readonly Operation[],
  versions: Versions,
  c: Contradiction,
  failedWriters: Map<unknown, Operation>,
  failedKey: (v: unknown) => unknown,
): Explained {
  const d = (op: Operation) => model.describeOp(op);
  const init = showValue(versions.values[0]);
  switch (c.kind) {
    case 'unwritten': {
      const op = ops[c.op];
      const v = showValue(c.value);
      const failed = failedWriters.get(failedKey(c.value));
      const why = failed
        ? `the only op that wrote ${v} is ${d(failed)}, which failed, so it never took effect`
        : `no operation wrote ${v}${v === init ? '' : ` and it is not the initial value ${init}`}`;
      if (op.f === 'read') return { op, explanation: `${d(op)} returned ${v}, but ${why}.` };
      if (op.status === 'ok') return { op, explanation: `${d(op)} succeeded, so the register held ${v}, but ${why}.` };
      const observer = ops[versions.observedBy[versions.versionOf[c.op]]];
      return {
        op: observer ?? op,
        explanation:
          `${observer ? d(observer) : 'an op'} observed ${valueOf(op)}, which only ${d(op)} could have written, ` +
          `but that cas needs the register to hold ${v} first, and ${why}.`,
      };
    }
    case 'double-successor': {
      const a = ops[c.first];
      const b = ops[c.second];
      const from = showValue(observedValue(a));
      return {
        op: b,
        explanation:
          `${d(a)} and ${d(b)} both took effect and both replaced ${from}, but ${from} was written only once, ` +
          `so only one of them can directly follow it.`,
      };
    }
    case 'cycle': {
      const cas = c.ops.map((i) => ops[i]);
      return {
        op: cas[0],
        explanation:
          `the cas ops ${cas.map(d).join(', ')} only replace each other's values: none of the values they start ` +
          `from was written by a write or is the initial value ${init}.`,
      };
    }
    case 'internal': {
      const late = ops[c.late];
      const early = ops[c.early];
      const sameVersion = versions.versionOf[c.late] >= 0 && versions.versionOf[c.late] === versions.sourceOf[c.early];
      if (sameVersion) {
        return {
          op: early,
          explanation:
            `${d(early)} ${early.f === 'read' ? 'returned' : 'needed the register to hold'} ` +
            `${showValue(observedValue(early))}, but it completed at ${showTime(early.ret)}, before ` +
            `${d(late)}, the only op that writes that value, was invoked at ${showTime(late.call)}.`,
        };
      }
      const culprit = late.f === 'read' ? late : early.f === 'read' ? early : late;
      if (late.f === 'read' && versions.sourceOf[c.late] === versions.sourceOf[c.early] && early.f === 'cas') {
        return {
          op: culprit,
          explanation:
            `${d(late)} returned ${valueOf(late)}, but ${valueOf(late)} had already been replaced by ${d(early)}, ` +
            `which completed at ${showTime(early.ret)}, before that read began at ${showTime(late.call)}.`,
        };
      }
      return {
        op: culprit,
        explanation:
          `the successful cas ops fix the order of these values, so ${d(late)} must take effect before ` +
          `${d(early)}; but ${d(early)} completed at ${showTime(early.ret)}, before ${d(late)} began at ` +
          `${showTime(late.call)}.`,
      };
    }
    case 'conflict': {
      const x = c.chains[c.x];
      const y = c.chains[c.y];
      const px = ops[x.release.op];
      const qy = ops[y.deadline.op];
      const tail =
        `${d(qy)} completed at ${showTime(qy.ret)}, before ${d(px)} began at ${showTime(px.call)}`;
      if (c.x === 0) {
        return {
          op: px,
          explanation:
            px.f === 'read' && observedValue(px) !== undefined && showValue(observedValue(px)) === init
              ? `${d(px)} returned the initial value ${init}, but ${valueOf(qy)} had already replaced it: ${tail}.`
              : `${d(px)} must take effect before ${valueOf(qy)} is written (values descending from the initial ` +
                `value ${init} come first), but ${tail}.`,
        };
      }
      const py = ops[y.release.op];
      const qx = ops[x.deadline.op];
      const order = `${d(qx)} completed at ${showTime(qx.ret)}, before ${d(py)} began at ${showTime(py.call)}, so ${valueOf(py)} came after ${valueOf(qx)}`;
      const op = px.f === 'read' || py.f !== 'read' || px.call >= py.call ? px : py;
      if (px.f === 'read' && qy.f !== 'read') {
        return {
          op,
          explanation:
            `${d(px)} returned ${valueOf(px)}, but ${valueOf(px)} was overwritten by ${d(qy)}, which completed ` +
            `at ${showTime(qy.ret)}, before that read began at ${showTime(px.call)} (${order}).`,
        };
      }
      return {
        op,
        explanation: `neither order of these values works: ${order}; yet ${tail}, so ${valueOf(qy)} was already in place before ${d(px)}.`,
      };
    }
  }
}
