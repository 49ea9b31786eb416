import type { Operation } from '../../../src/history/types.js';
import type { Rng } from './rng.js';

/**
 * Small histories with no execution behind them: random intervals, statuses and observed values drawn
 * from a small pool (including unwritten ones). Written values stay unique so the register procedure
 * applies; whatever the verdict, it must match the brute-force oracle.
 */
export function arbitraryHistory(rng: Rng, n: number, withCas = true): Operation[] {
  const ops: Operation[] = [];
  let nextValue = 1;
  const pool = () => (rng.chance(0.2) ? null : rng.int(1, n + 1));
  const events: { t: number; op: Operation; end: boolean }[] = [];
  for (let id = 0; id < n; id++) {
    const call = rng.int(0, 3 * n);
    const ret = call + rng.int(0, 2 * n);
    const u = rng.next();
    const f = withCas && u < 0.3 ? 'cas' : u < 0.6 ? 'write' : 'read';
    const status = rng.chance(0.65) ? 'ok' : rng.chance(0.5) ? 'info' : 'fail';
    let input: unknown = null;
    let output: unknown;
    if (f === 'write') input = nextValue++;
    if (f === 'cas') input = [pool(), nextValue++];
    if (f === 'read' && status === 'ok') output = pool();
    if (f !== 'read' && status === 'ok') output = input;
    const op: Operation = {
      id,
      process: id,
      f,
      input,
      output,
      status,
      call,
      ret: status === 'info' ? Infinity : ret,
      invokeIndex: 0,
    };
    ops.push(op);
    events.push({ t: call, op, end: false }, { t: ret, op, end: true });
  }
  // Raw indices in log order, with random order among equal times (an op's invoke before its completion).
  events.sort((a, b) => a.t - b.t || (a.op === b.op ? Number(a.end) - Number(b.end) : rng.next() - 0.5));
  events.forEach((e, i) => {
    if (e.end) e.op.completeIndex = i;
    else e.op.invokeIndex = i;
  });
  ops.sort((a, b) => a.invokeIndex - b.invokeIndex);
  ops.forEach((op, i) => (op.id = i));
  return ops;
}
