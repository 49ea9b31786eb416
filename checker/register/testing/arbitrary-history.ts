import type { Operation } from '../../../src/history/types.js';
import type { Prng } from '../../../src/generator/prng.js';

/**
 * Small histories with no execution behind them: random intervals, statuses and observed values drawn
 * from a small pool (including unwritten ones). Written values stay unique so the register procedure
 * applies; whatever the verdict, it must match the brute-force oracle.
 */
export function arbitraryHistory(rng: Prng, n: number, withCas = true): Operation[] {
  const ops: Operation[] = [];
  let nextValue = 1;
  const pool = () => (rng.chance(0.2) ? null : rng.between(1, n + 1));
  const events: { t: number; tie: number; op: Operation; end: boolean }[] = [];
  for (let id = 0; id < n; id++) {
    const call = rng.between(0, 3 * n);
    const ret = call + rng.between(0, 2 * n);
    const u = rng.float();
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
    // Random order among equal times, drawn up front so the sort's comparator is consistent (a random
    // comparator can put a completion before its own invoke); an op's end never sorts before its call.
    const callTie = rng.float();
    const endTie = ret === call ? callTie + (1 - callTie) * rng.float() : rng.float();
    events.push({ t: call, tie: callTie, op, end: false }, { t: ret, tie: endTie, op, end: true });
  }
  // Raw indices in log order, with random order among equal times (an op's invoke before its completion).
  events.sort((a, b) => a.t - b.t || a.tie - b.tie || Number(a.end) - Number(b.end));
  events.forEach((e, i) => {
    if (e.end) e.op.completeIndex = i;
    else e.op.invokeIndex = i;
  });
  ops.sort((a, b) => a.invokeIndex - b.invokeIndex);
  ops.forEach((op, i) => (op.id = i));
  return ops;
}
