import { describe, expect, it } from 'vitest';
import { ScriptedCluster } from './scripted-cluster.js';

/**
 * Lease reads under clock skew (dissertation §6.4.1): the leader's wall clock is set back 2 s, then it
 * is isolated. The rest elect a new leader and commit a write. The old leader is then asked for a read.
 */
function skewedIsolatedLeader(bugs: 'lease-reads'[], readMode: 'readindex' | 'lease' = 'readindex') {
  const c = new ScriptedCluster(['n1', 'n2', 'n3'], bugs, { readMode });
  for (const id of c.members) c.start(id);
  c.run(1000);
  const old = c.leader()!;
  const w1 = c.propose(old, { type: 'put', key: 'k', value: 1 });
  c.run(100);
  expect(c.replies.get(w1)).toEqual({ kind: 'ok' });
  c.wallOffset.set(old, -2000);
  c.isolated.add(old);
  c.run(800); // long enough for the majority side to elect a new leader
  const fresh = c.leader()!;
  expect(fresh).not.toBe(old);
  const w2 = c.propose(fresh, { type: 'put', key: 'k', value: 2 });
  c.run(50);
  expect(c.replies.get(w2)).toEqual({ kind: 'ok' });
  const r = c.read(old, 'k');
  c.run(50);
  return c.replies.get(r);
}

describe('lease reads and clock skew', () => {
  it('lease-reads knob (Date.now() lease): the deposed leader serves the overwritten value', () => {
    expect(skewedIsolatedLeader(['lease-reads'])).toEqual({ kind: 'ok', value: 1 });
  });
  it('correct ReadIndex: the deposed leader cannot answer', () => {
    expect(skewedIsolatedLeader([])).toMatchObject({ kind: 'not-leader' });
  });
  it('correct monotonic lease: the wall clock does not matter, the deposed leader cannot answer', () => {
    expect(skewedIsolatedLeader([], 'lease')).toMatchObject({ kind: 'not-leader' });
  });
});
