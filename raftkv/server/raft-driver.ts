import { performance } from 'node:perf_hooks';
import type { Bugs } from '../bugs.js';
import { RaftNode, type Clock, type RestoredState } from '../core/raft-node.js';
import type { Message, Outcome, RaftConfig, WriteCommand } from '../core/types.js';
import type { FileStorage } from './storage.js';

const TICK_MS = 10;

/**
 * Runs the deterministic Raft core against the real world: the monotonic clock (performance.now()) for
 * every timer, the file storage, and the peer transport. Persisting a Ready takes an fsync; events that
 * arrive meanwhile pile up in the core and go out together in the next Ready: that is the group commit.
 */
export class RaftDriver {
  readonly raft: RaftNode;
  private replies = new Map<number, (o: Outcome) => void>();
  private nextReq = 1;
  private scheduled = false;
  private persisting = false;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    cfg: RaftConfig,
    bugs: Bugs,
    restored: RestoredState,
    private readonly storage: FileStorage,
    private readonly sendMessage: (m: Message) => void,
    private readonly log: (line: string) => void,
  ) {
    this.raft = new RaftNode(cfg, bugs, Math.random, restored, {}, RaftDriver.clock());
  }

  /** Monotonic time for timers; wall time only for the lease-reads bug knob. */
  static clock(): Clock {
    return { now: performance.now(), wall: Date.now() };
  }

  start(): void {
    this.ticker = setInterval(() => {
      this.raft.tick(RaftDriver.clock());
      this.schedule();
    }, TICK_MS);
  }

  receive(msgs: Message[]): void {
    if (this.stopped) return;
    const clock = RaftDriver.clock();
    for (const m of msgs) this.raft.step(m, clock);
    this.schedule();
  }

  propose(cmd: WriteCommand): { outcome: Promise<Outcome>; cancel: () => void } {
    return this.request((id) => this.raft.propose(id, cmd, RaftDriver.clock()));
  }

  read(key: string): { outcome: Promise<Outcome>; cancel: () => void } {
    return this.request((id) => this.raft.read(id, key, RaftDriver.clock()));
  }

  private request(submit: (reqId: number) => void): { outcome: Promise<Outcome>; cancel: () => void } {
    const id = this.nextReq++;
    const outcome = new Promise<Outcome>((resolve) => this.replies.set(id, resolve));
    submit(id);
    this.schedule();
    return { outcome, cancel: () => this.replies.delete(id) };
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.persisting) return;
    this.persisting = true;
    try {
      for (;;) {
        if (this.stopped) return;
        const rd = this.raft.ready();
        if (!rd) return;
        await this.storage.persist(rd);
        if (this.stopped) return;
        for (const l of rd.logLines) this.log(l);
        for (const m of rd.messages) this.sendMessage(m);
        for (const r of rd.replies) {
          const resolve = this.replies.get(r.reqId);
          this.replies.delete(r.reqId);
          resolve?.(r.outcome);
        }
        this.raft.advance(rd, RaftDriver.clock());
      }
    } catch (e) {
      // A failed fsync leaves the disk in an unknown state: stop, as etcd and others do.
      this.log(`fatal: storage failed: ${(e as Error).message}`);
      process.exitCode = 1;
      this.stop();
    } finally {
      this.persisting = false;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const resolve of this.replies.values()) resolve({ kind: 'unknown', reason: 'node stopping' });
    this.replies.clear();
  }
}
