import { describe, expect, it } from 'vitest';
import type { RestoredState } from '../core/raft-node.js';
import type { Entry } from '../core/types.js';
import { ScriptedCluster } from './scripted-cluster.js';

const put = (index: number, term: number, value: number): Entry => ({ index, term, cmd: { type: 'put', key: 'x', value } });
const state = (term: number, votedFor: string | null, entries: Entry[]): RestoredState => ({ hardState: { term, votedFor }, entries });

/**
 * Raft paper, Figure 8, from step (c): S1 (term 2 entry at index 2 on S1, S2) restarts and wins term 4;
 * S5 holds an uncommitted term-3 entry at index 2. If S1 commits index 2 by counting replicas, S5 can
 * later win term 5 and overwrite it: a committed entry is lost.
 */
function figure8(bugs: 'commit-old-term'[]) {
  const c = new ScriptedCluster(['s1', 's2', 's3', 's4', 's5'], bugs);
  const e1 = put(1, 1, 1);
  c.start('s1', state(3, null, [e1, put(2, 2, 2)]));
  c.start('s2', state(3, null, [e1, put(2, 2, 2)]));
  c.start('s3', state(3, 's5', [e1]));
  c.start('s4', state(3, 's5', [e1]));
  const s5 = state(3, 's5', [e1, put(2, 3, 3)]); // s5 is down for now
  // (c) s1 times out, wins term 4 with s2, s3, and replicates index 2 to s3.
  c.tickOnly('s1', 1000);
  const s1 = c.nodes.get('s1')!;
  expect(s1.role).toBe('leader');
  expect(s1.currentTerm).toBe(4);
  const committedByS1 = s1.commitIndex;
  // (d) s1 crashes; s5 comes back and campaigns.
  c.crash('s1');
  c.start('s5', s5);
  c.tickOnly('s5', 1000); // pre-vote for term 4 fails (voters are at 4); s5 learns term 4
  c.tickOnly('s5', 1000); // pre-vote and vote for term 5
  return { c, committedByS1, s5: c.nodes.get('s5')! };
}

describe('Figure 8 (commit only current-term entries by counting)', () => {
  it('correct raftkv: the old entry commits only with the new term no-op, and s5 cannot win', () => {
    const { c, committedByS1, s5 } = figure8([]);
    expect(committedByS1).toBe(3); // index 2 committed together with s1's term-4 no-op at 3
    expect(s5.role).not.toBe('leader');
    expect(c.monitor.violations).toEqual([]);
  });

  it('commit-old-term knob: s1 commits index 2 alone, s5 overwrites it, the monitor sees it', () => {
    const { c, committedByS1, s5 } = figure8(['commit-old-term']);
    expect(committedByS1).toBe(2);
    expect(s5.role).toBe('leader');
    expect(c.monitor.violations.join('\n')).toMatch(/state machine safety|leader completeness/);
  });
});

describe('commit-old-term knob after the last write', () => {
  it('a leader elected after the last write still serves reads (it appends its blank entry when a read asks)', () => {
    const c = new ScriptedCluster(['s1', 's2', 's3'], ['commit-old-term']);
    const e1 = put(1, 1, 1);
    for (const id of ['s1', 's2', 's3']) c.start(id, state(1, null, [e1]));
    c.tickOnly('s1', 1000);
    expect(c.nodes.get('s1')!.role).toBe('leader');
    // No write in term 2: ReadIndex needs an entry of the leader's own term.
    const req = c.read('s1', 'x');
    c.run(500);
    expect(c.replies.get(req)).toEqual({ kind: 'ok', value: 1 });
  });
});
