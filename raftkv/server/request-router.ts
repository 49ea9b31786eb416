import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Bugs } from '../bugs.js';
import type { NodeId, Outcome, WriteCommand } from '../core/types.js';
import type { RaftDriver } from './raft-driver.js';

/** A client operation as it travels between nodes (the follower proxy forwards these). */
export type ClientOp = { kind: 'read'; key: string } | { kind: 'write'; cmd: WriteCommand };

export type Forward = (leader: NodeId, op: ClientOp, timeoutMs: number) => Promise<Outcome>;

/** Raised by `forward` when the connection was refused: the request surely never arrived. */
export class NotDeliveredError extends Error {}

const RETRY_PAUSE_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Carries one client operation to an answer within `timeoutMs`: on the leader it proposes or reads; on
 * a follower it forwards to the leader (server-side proxy), and after a leader change or a lost reply it
 * tries again with the same session (client id + seq), so a retried write still applies once. A write
 * that might have applied and then ran out of time ends `unknown` (HTTP 504, not definite).
 */
export class RequestRouter {
  constructor(
    private readonly self: NodeId,
    private readonly driver: RaftDriver,
    private readonly bugs: Bugs,
    private readonly forward: Forward,
  ) {}

  async execute(op: ClientOp, timeoutMs: number, mayForward: boolean): Promise<Outcome> {
    if (op.kind === 'write' && (op.cmd.client === undefined || op.cmd.seq === undefined)) {
      // No session from the client: give the request its own, so our retries stay exactly-once.
      op = { kind: 'write', cmd: { ...op.cmd, client: `srv-${this.self}-${randomUUID()}`, seq: 1 } };
    }
    const deadline = performance.now() + timeoutMs;
    let maybeApplied = false;
    let attempted = false;
    let lastLeader: NodeId | null = null;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      const raft = this.driver.raft;
      const local = raft.role === 'leader' || (op.kind === 'read' && this.bugs.has('stale-reads'));
      let outcome: Outcome;
      if (local) {
        attempted = true;
        outcome = await this.withTimeout(op, left);
      } else if (raft.leader !== null && raft.leader !== this.self && mayForward) {
        lastLeader = raft.leader;
        attempted = true;
        try {
          outcome = await this.forward(raft.leader, op, left);
        } catch (e) {
          if (!(e instanceof NotDeliveredError) && op.kind === 'write') maybeApplied = true;
          await sleep(RETRY_PAUSE_MS);
          continue;
        }
      } else if (!mayForward) {
        // Once proposed, a write may still commit under the next leader: only a write never proposed here
        // (or a read) can be refused definitely.
        return op.kind === 'write' && maybeApplied
          ? { kind: 'unknown', reason: 'leadership lost after the write was proposed' }
          : { kind: 'not-leader', leader: raft.leader };
      } else {
        await sleep(RETRY_PAUSE_MS); // no leader known yet: an election is under way
        continue;
      }
      switch (outcome.kind) {
        case 'ok':
        case 'cas-mismatch':
        case 'not-a-string':
          return outcome.kind === 'cas-mismatch' && maybeApplied ? { kind: 'unknown', reason: 'cas failed after an earlier attempt may have applied' } : outcome;
        case 'unknown':
          if (op.kind === 'write') maybeApplied = true;
          if (outcome.reason === 'request timed out') break;
          await sleep(RETRY_PAUSE_MS);
          continue;
        case 'not-leader':
          if (outcome.leader) lastLeader = outcome.leader;
          await sleep(RETRY_PAUSE_MS);
          continue;
      }
      break;
    }
    return (op.kind === 'write' ? maybeApplied : attempted)
      ? { kind: 'unknown', reason: 'request timed out' }
      : { kind: 'not-leader', leader: lastLeader ?? this.driver.raft.leader };
  }

  private async withTimeout(op: ClientOp, ms: number): Promise<Outcome> {
    const req = op.kind === 'read' ? this.driver.read(op.key) : this.driver.propose(op.cmd);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        req.cancel();
        resolve({ kind: 'unknown', reason: 'request timed out' });
      }, ms);
    });
    try {
      return await Promise.race([req.outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

