import { describe, expect, it } from 'vitest';
import { Bugs, parseBugs, UnknownBugError } from '../bugs.js';
import { KvMachine } from './kv-machine.js';
import { RaftLog } from './raft-log.js';
import { RaftNode } from './raft-node.js';
import { DEFAULT_RAFT_CONFIG, type Entry, type Message } from './types.js';
import { replay } from './wal-records.js';

const put = (index: number, term: number, value = index): Entry => ({ index, term, cmd: { type: 'put', key: 'k', value } });
const clock = (now: number) => ({ now, wall: now });

describe('KvMachine', () => {
  it('applies a retried session write once and answers it with the first outcome', () => {
    const m = new KvMachine(Bugs.none());
    const cmd = { type: 'append' as const, key: 'l', value: 'x', client: 'c', seq: 1 };
    expect(m.apply(cmd)).toEqual({ kind: 'ok', value: 'x' });
    expect(m.apply(cmd)).toEqual({ kind: 'ok', value: 'x' });
    expect(m.get('l')).toBe('x');
  });
  it('no-dedup knob: the retry applies again', () => {
    const m = new KvMachine(new Bugs(['no-dedup']));
    const cmd = { type: 'append' as const, key: 'l', value: 'x', client: 'c', seq: 1 };
    m.apply(cmd);
    m.apply(cmd);
    expect(m.get('l')).toBe('xx');
  });
  it('cas compares by JSON equality and reports the current value', () => {
    const m = new KvMachine(Bugs.none());
    m.apply({ type: 'put', key: 'k', value: { a: 1, b: [2] } });
    expect(m.apply({ type: 'cas', key: 'k', from: { b: [2], a: 1 }, to: 3 })).toEqual({ kind: 'ok' });
    expect(m.apply({ type: 'cas', key: 'k', from: 4, to: 5 })).toEqual({ kind: 'cas-mismatch', current: 3 });
    expect(m.apply({ type: 'append', key: 'k', value: 'x' })).toEqual({ kind: 'not-a-string', current: 3 });
  });
  it('snapshots and restores map and sessions', () => {
    const m = new KvMachine(Bugs.none());
    m.apply({ type: 'put', key: 'k', value: 1, client: 'c', seq: 7 });
    const m2 = new KvMachine(Bugs.none());
    m2.restore(m.snapshot());
    expect(m2.get('k')).toBe(1);
    expect(m2.apply({ type: 'put', key: 'k', value: 2, client: 'c', seq: 7 })).toEqual({ kind: 'ok' });
    expect(m2.get('k')).toBe(1); // duplicate of seq 7: not applied again
  });
});

describe('bugs', () => {
  it('parses a list and refuses unknown names', () => {
    expect(parseBugs(' stale-reads, no-fsync ').list()).toEqual(['no-fsync', 'stale-reads']);
    expect(parseBugs(undefined).list()).toEqual([]);
    expect(() => parseBugs('stale-reads,typo')).toThrow(UnknownBugError);
    expect(() => parseBugs('typo')).toThrow(/typo/);
  });
});

describe('RaftLog and WAL replay', () => {
  it('compacts while keeping the suffix that agrees with the snapshot', () => {
    const log = new RaftLog(undefined, [put(1, 1), put(2, 1), put(3, 2)]);
    log.compact({ index: 2, term: 1 });
    expect(log.firstIndex).toBe(3);
    expect(log.termAt(2)).toBe(1);
    expect(log.termAt(1)).toBeUndefined();
    expect(log.slice(1, 9).map((e) => e.index)).toEqual([3]);
  });
  it('replay applies truncations, overwrites and skips what the snapshot covers', () => {
    const snap = { meta: { index: 1, term: 1 }, data: { kv: {}, sessions: {} } };
    const r = replay(snap, [
      { t: 'hs', term: 1, votedFor: null },
      { t: 'ents', entries: [put(1, 1), put(2, 1), put(3, 1)] },
      { t: 'trunc', from: 3 },
      { t: 'ents', entries: [put(3, 2), put(4, 2)] },
      { t: 'hs', term: 3, votedFor: 'n2' },
    ]);
    expect(r.hardState).toEqual({ term: 3, votedFor: 'n2' });
    expect(r.entries.map((e) => [e.index, e.term])).toEqual([[2, 1], [3, 2], [4, 2]]);
  });
});

describe('RaftNode', () => {
  const cfg = (id: string, members: string[]) => ({ ...DEFAULT_RAFT_CONFIG, id, members });

  it('a single node elects itself, commits a write after it is durable, and replies', () => {
    const n = new RaftNode(cfg('n1', ['n1']), Bugs.none(), () => 0.5);
    n.tick(clock(1000));
    expect(n.role).toBe('leader');
    n.propose(1, { type: 'put', key: 'k', value: 9 }, clock(1001));
    let replies: unknown[] = [];
    for (let rd = n.ready(); rd; rd = n.ready()) {
      replies = replies.concat(rd.replies);
      n.advance(rd, clock(1002));
    }
    expect(replies).toEqual([{ reqId: 1, outcome: { kind: 'ok' } }]);
    expect(n.localValue('k')).toBe(9);
  });

  it('AppendEntries deletes a conflicting suffix; the no-truncate knob keeps it', () => {
    const restored = { hardState: { term: 2, votedFor: null }, entries: [put(1, 1), put(2, 2), put(3, 2)] };
    const msg: Message = { type: 'append', from: 'n2', to: 'n1', term: 3, prevIndex: 1, prevTerm: 1, entries: [put(2, 3, 20)], commit: 0, round: 1 };
    const ok = new RaftNode(cfg('n1', ['n1', 'n2', 'n3']), Bugs.none(), () => 0.5, restored);
    ok.step(msg, clock(10));
    expect(ok.log.all().map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 3]]);
    expect(ok.ready()).toMatchObject({ truncateFrom: 2, entries: [put(2, 3, 20)] });
    const bad = new RaftNode(cfg('n1', ['n1', 'n2', 'n3']), new Bugs(['no-truncate']), () => 0.5, restored);
    bad.step(msg, clock(10));
    expect(bad.log.all().map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 3], [3, 2]]);
  });

  it('refuses a vote to a candidate with a staler log, unless vote-without-log-check is on', () => {
    const restored = { hardState: { term: 2, votedFor: null }, entries: [put(1, 1), put(2, 2)] };
    const vote: Message = { type: 'vote', from: 'n2', to: 'n1', term: 5, lastIndex: 5, lastTerm: 1 };
    const ok = new RaftNode(cfg('n1', ['n1', 'n2', 'n3']), Bugs.none(), () => 0.5, restored);
    ok.step(vote, clock(10));
    expect(ok.ready()!.messages).toContainEqual(expect.objectContaining({ type: 'vote-resp', granted: false, term: 5 }));
    const bad = new RaftNode(cfg('n1', ['n1', 'n2', 'n3']), new Bugs(['vote-without-log-check']), () => 0.5, restored);
    bad.step(vote, clock(10));
    expect(bad.ready()!.messages).toContainEqual(expect.objectContaining({ type: 'vote-resp', granted: true }));
  });

  it('persists the vote in the same Ready that carries the grant', () => {
    const n = new RaftNode(cfg('n1', ['n1', 'n2', 'n3']), Bugs.none(), () => 0.5);
    n.step({ type: 'vote', from: 'n2', to: 'n1', term: 1, lastIndex: 0, lastTerm: 0 }, clock(10));
    expect(n.ready()).toMatchObject({ hardState: { term: 1, votedFor: 'n2' }, messages: [expect.objectContaining({ granted: true })] });
  });
});
