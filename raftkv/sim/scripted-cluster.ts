import { Bugs, type BugName } from '../bugs.js';
import { RaftNode, type RestoredState } from '../core/raft-node.js';
import { DEFAULT_RAFT_CONFIG, type Message, type NodeId, type Outcome, type RaftConfig, type WriteCommand } from '../core/types.js';
import { SafetyMonitor } from './invariants.js';
import { Prng } from '../../src/generator/prng.js';

/**
 * A hand-driven cluster for scripted scenarios (e.g. the paper's Figure 8): the test decides which node
 * runs, who is down, and when time passes. Messages to down nodes are lost; persistence is immediate.
 */
export class ScriptedCluster {
  readonly monitor = new SafetyMonitor();
  readonly nodes = new Map<NodeId, RaftNode>();
  now = 0;
  /** Per-node wall-clock offset (ms): what a clock nemesis changes. */
  readonly wallOffset = new Map<NodeId, number>();
  /** Nodes cut off from every other node. */
  readonly isolated = new Set<NodeId>();
  /** Client replies by request id. */
  readonly replies = new Map<number, Outcome>();
  private nextReq = 1;
  private readonly prng = new Prng(1);
  private readonly rnd = () => this.prng.float();
  private readonly bugs: Bugs;

  constructor(readonly members: NodeId[], bugs: BugName[] = [], private readonly extra: Partial<RaftConfig> = {}) {
    this.bugs = new Bugs(bugs);
  }

  /** Starts (or restarts) `id` from the given durable state. */
  clock(id: NodeId) {
    return { now: this.now, wall: this.now + (this.wallOffset.get(id) ?? 0) };
  }

  start(id: NodeId, state?: RestoredState): RaftNode {
    const node = new RaftNode(
      { ...DEFAULT_RAFT_CONFIG, electionMinMs: 150, electionMaxMs: 300, heartbeatMs: 30, leaseMs: 120, ...this.extra, id, members: this.members },
      this.bugs, this.rnd, state, this.monitor, this.clock(id),
    );
    this.nodes.set(id, node);
    return node;
  }

  crash(id: NodeId): void {
    this.nodes.delete(id);
  }

  /** Advances time and ticks only `id`, so it alone times out and campaigns. */
  tickOnly(id: NodeId, ms: number): void {
    this.now += ms;
    this.nodes.get(id)!.tick(this.clock(id));
    this.settle();
  }

  /** Advances time in `step` ms increments, ticking every node and delivering messages each time. */
  run(ms: number, step = 10): void {
    for (let t = 0; t < ms; t += step) {
      this.now += step;
      for (const [id, n] of this.nodes) n.tick(this.clock(id));
      this.settle();
    }
  }

  leader(): NodeId | undefined {
    return [...this.nodes].find(([id, n]) => n.role === 'leader' && !this.isolated.has(id))?.[0];
  }

  propose(id: NodeId, cmd: WriteCommand): number {
    const req = this.nextReq++;
    this.nodes.get(id)!.propose(req, cmd, this.clock(id));
    this.settle();
    return req;
  }

  read(id: NodeId, key: string): number {
    const req = this.nextReq++;
    this.nodes.get(id)!.read(req, key, this.clock(id));
    this.settle();
    return req;
  }

  /** Delivers messages between live nodes until nothing is left to say. */
  settle(maxRounds = 100): void {
    for (let i = 0; i < maxRounds; i++) {
      const batch: Message[] = [];
      for (const n of this.nodes.values()) {
        const rd = n.ready();
        if (!rd) continue;
        batch.push(...rd.messages);
        for (const r of rd.replies) this.replies.set(r.reqId, r.outcome);
        n.advance(rd, this.clock(n.id));
        const again = n.ready(); // advance may produce more (commit, replies)
        if (again) {
          batch.push(...again.messages);
          for (const r of again.replies) this.replies.set(r.reqId, r.outcome);
          n.advance(again, this.clock(n.id));
        }
      }
      if (batch.length === 0) return;
      for (const m of batch) {
        if (this.isolated.has(m.from) || this.isolated.has(m.to)) continue;
        this.nodes.get(m.to)?.step(m, this.clock(m.to));
      }
    }
  }
}
