import type { RaftObserver, RaftNode } from '../core/raft-node.js';
import type { RaftLog } from '../core/raft-log.js';
import { canonicalJson } from '../core/json-equal.js';
import type { Entry, NodeId } from '../core/types.js';

// Entries travel between simulated nodes by reference, so identity settles almost every comparison.
const same = (a: Entry, b: Entry) =>
  a === b || (a.term === b.term && canonicalJson(a.cmd as never) === canonicalJson(b.cmd as never));

/**
 * Checks Raft's safety properties (paper Figure 3) while a simulation runs:
 * Election Safety and Leader Completeness when a node becomes leader, State Machine Safety whenever a
 * node applies an entry, Log Matching when asked (it compares whole logs, so it runs every few events).
 */
export class SafetyMonitor implements RaftObserver {
  readonly violations: string[] = [];
  private leaders = new Map<number, NodeId>();
  /** The entry applied at each index by whichever node applied it first: the committed log. */
  private committed = new Map<number, Entry>();
  /** Term in which each index committed: the first node to apply it is the leader that committed it. */
  private commitTerm = new Map<number, number>();
  maxTerm = 0;

  get leaderCount(): number {
    return this.leaders.size;
  }

  becameLeader(id: NodeId, term: number, log: RaftLog): void {
    this.maxTerm = Math.max(this.maxTerm, term);
    const other = this.leaders.get(term);
    if (other !== undefined && other !== id) this.violations.push(`election safety: ${other} and ${id} both lead term ${term}`);
    this.leaders.set(term, id);
    const floor = log.snapshotMeta.index;
    for (const [index, e] of this.committed) {
      // The property covers leaders of later terms only: a stale candidate may still win an older term.
      if (index <= floor || this.commitTerm.get(index)! >= term) continue;
      const mine = log.entry(index);
      if (!mine || !same(mine, e)) {
        this.violations.push(
          `leader completeness: ${id} leads term ${term} without committed entry ${index} (term ${e.term})`,
        );
        return;
      }
    }
  }

  applied(id: NodeId, e: Entry, term: number): void {
    const first = this.committed.get(e.index);
    if (!first) {
      this.committed.set(e.index, e);
      this.commitTerm.set(e.index, term);
    }
    else if (!same(first, e)) {
      this.violations.push(
        `state machine safety: ${id} applied ${JSON.stringify(e)} at ${e.index}, another node applied ${JSON.stringify(first)}`,
      );
    }
  }

  /** Log Matching: two logs with an equal (index, term) hold identical entries up to that index. */
  checkLogMatching(nodes: RaftNode[]): void {
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i].log, b = nodes[j].log;
        const lo = Math.max(a.firstIndex, b.firstIndex);
        let k = Math.min(a.lastIndex, b.lastIndex);
        while (k >= lo && a.termAt(k) !== b.termAt(k)) k--;
        for (; k >= lo; k--) {
          if (!same(a.entry(k)!, b.entry(k)!)) {
            this.violations.push(`log matching: ${nodes[i].id} and ${nodes[j].id} differ at index ${k}`);
            return;
          }
        }
      }
    }
  }
}
