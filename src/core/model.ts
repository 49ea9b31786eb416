/** A sequential model of the object under test, which the linearizability checker steps through. */
import { assertShape } from './describe.js';
import type { Operation } from './history.js';

export interface Model<S = unknown> {
  name: string;
  init(): S;
  /** The state after `op`, or undefined when `op` is not possible in `state` (e.g. a read of the wrong value). */
  step(state: S, op: Operation): S | undefined;
  /** A cheap hash used by the search's state cache; equal states must hash equally. */
  hash(state: S): string;
  equal(a: S, b: S): boolean;
  /** "write 5", "read -> 3", "cas 2->5" */
  describeOp(op: Operation): string;
  describeState(state: S): string;
  /** When present, the history is split by this function and each part checked on its own. */
  partition?(ops: Operation[]): Map<string, Operation[]>;
  /** When present, rejects an op the model cannot judge (unknown f, malformed value) with a reason. */
  checkOp?(op: Operation): string | undefined;
  /** When present and true for an op, the op never changes the state (a read). */
  isReadOnly?(op: Operation): boolean;
}

/** Checks a model; a UsageError lists what is wrong. */
export function defineModel<S>(model: Model<S>): Model<S> {
  return assertShape('model', model, {
    name: 'string',
    init: 'function',
    step: 'function',
    hash: 'function',
    equal: 'function',
    describeOp: 'function',
    describeState: 'function',
    partition: 'function?',
    checkOp: 'function?',
    isReadOnly: 'function?',
  });
}
