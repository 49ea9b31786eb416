import type { Operation } from '../../../src/history/types.js';
import { before, opPoints } from '../points.js';
import type { Model } from '../../types.js';

/**
 * Independent check of a claimed linearization: every ok op appears exactly once, no fail op appears,
 * each op is legal in the model state, and no op comes after one that began after it returned.
 * Returns undefined when it holds, else the reason.
 */
export function verifyLinearization(model: Model, ops: readonly Operation[], order: ArrayLike<number>): string | undefined {
  const seen = new Uint8Array(ops.length);
  const p = opPoints(ops);
  let state = model.init();
  let maxT = -Infinity;
  let maxK = -Infinity;
  for (let i = 0; i < order.length; i++) {
    const j = order[i];
    const op = ops[j];
    if (seen[j]) return `op ${j} twice`;
    seen[j] = 1;
    if (op.status === 'fail') return `fail op ${j} included`;
    if (before(p.retT[j], p.retK[j], maxT, maxK)) return `op ${j} returned before an earlier-placed op began`;
    if (before(maxT, maxK, p.callT[j], p.callK[j])) {
      maxT = p.callT[j];
      maxK = p.callK[j];
    }
    const next = model.step(state, op);
    if (next === undefined) return `op ${j} (${model.describeOp(op)}) illegal in state ${model.describeState(state)}`;
    state = next;
  }
  for (let j = 0; j < ops.length; j++) if (ops[j].status === 'ok' && !seen[j]) return `ok op ${j} missing`;
  return undefined;
}
