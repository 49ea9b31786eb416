import { describe, expect, it } from 'vitest';
import { Bugs } from '../bugs.js';
import type { Outcome } from '../core/types.js';
import type { RaftDriver } from './raft-driver.js';
import { RequestRouter } from './request-router.js';

/** A leader that loses leadership while its proposal is in flight: the entry may still commit later. */
function deposedLeader(): RaftDriver {
  const raft = { role: 'leader', leader: 'n1' as string | null };
  return {
    raft,
    propose: () => ({
      outcome: new Promise<Outcome>((resolve) => {
        raft.role = 'follower';
        raft.leader = null;
        resolve({ kind: 'unknown', reason: 'leadership lost' });
      }),
      cancel: () => {},
    }),
    read: () => ({ outcome: Promise.resolve({ kind: 'not-leader', leader: null } as Outcome), cancel: () => {} }),
  } as unknown as RaftDriver;
}

const noForward = async (): Promise<Outcome> => {
  throw new Error('not used');
};

describe('RequestRouter on a request forwarded to it', () => {
  it('answers unknown, not a definite not-leader, when it proposed the write and then lost leadership', async () => {
    const router = new RequestRouter('n1', deposedLeader(), Bugs.none(), noForward);
    const outcome = await router.execute({ kind: 'write', cmd: { op: 'put', key: 'k', value: 1, client: 'c', seq: 1 } as never }, 1_000, false);
    expect(outcome.kind).toBe('unknown');
  });

  it('still refuses definitely a write it never proposed', async () => {
    const driver = { raft: { role: 'follower', leader: 'n2' } } as unknown as RaftDriver;
    const router = new RequestRouter('n1', driver, Bugs.none(), noForward);
    const outcome = await router.execute({ kind: 'write', cmd: { op: 'put', key: 'k', value: 1, client: 'c', seq: 1 } as never }, 1_000, false);
    expect(outcome).toEqual({ kind: 'not-leader', leader: 'n2' });
  });
});
