import { Bugs, type BugName } from '../bugs.js';
import { RaftNode, type Clock } from '../core/raft-node.js';
import { DEFAULT_RAFT_CONFIG, type Json, type Message, type NodeId, type Outcome, type RaftConfig, type Ready, type WriteCommand } from '../core/types.js';
import { recordsFor } from '../core/wal-records.js';
import { EventQueue } from './event-queue.js';
import { SafetyMonitor } from './invariants.js';
import { checkLinearizable, type SimOp } from './lin-check.js';
import { Prng } from '../../src/generator/prng.js';
import { SimDisk } from './sim-disk.js';

/** Which faults a simulated run injects, and how hard. */
export interface SimOptions {
  seed: number;
  nodes?: number;
  clients?: number;
  bugs?: BugName[];
  /** Virtual milliseconds of traffic under faults, then `healMs` of traffic with everything healed. */
  faultMs?: number;
  healMs?: number;
  faults?: Partial<Record<'partition' | 'crash' | 'pause' | 'clock' | 'loss', boolean>>;
  /** Read path of the correct build: ReadIndex (default) or the monotonic-clock lease. */
  readMode?: 'readindex' | 'lease';
  /** Longest pause between one client's operations (ms); long pauses leave leaders idle. */
  thinkMs?: number;
  /** Collect node log lines and fault events (for replaying one seed). */
  trace?: boolean;
}

export interface SimResult {
  seed: number;
  violations: string[];
  stats: { events: number; ops: number; okOps: number; leaders: number; snapshotsInstalled: number; maxTerm: number };
  trace: string[];
  /** Completed client operations (fail ops dropped: they did not happen). */
  history: SimOp[];
}

const SIM_RAFT: Omit<RaftConfig, 'id' | 'members'> = {
  ...DEFAULT_RAFT_CONFIG,
  electionMinMs: 150,
  electionMaxMs: 300,
  heartbeatMs: 30,
  leaseMs: 120,
  snapshotEvery: 40,
  maxBatch: 16,
};
const TICK_MS = 10;
const NO_FSYNC_FLUSH_MS = 200;

interface SimNode {
  id: NodeId;
  raft: RaftNode | null; // null while crashed
  disk: SimDisk;
  incarnation: number;
  paused: boolean;
  deferred: (() => void)[];
  wallOffset: number;
  persisting: boolean;
}

interface ClientState {
  id: string;
  seq: number;
  preferred: NodeId;
}

/**
 * A whole raftkv cluster in one process: virtual time, a network that drops, delays, duplicates,
 * reorders and partitions messages, disks that lose unsynced writes on a crash, paused processes and
 * skewed wall clocks. Clients run a register + append workload with sessions, retrying through other
 * nodes the way the server's proxy does. Safety is checked as the run goes; the client history is
 * checked for linearizability at the end.
 */
export function runSimulation(opts: SimOptions): SimResult {
  const prng = new Prng(opts.seed);
  const rnd = () => prng.float();
  const q = new EventQueue();
  const bugs = new Bugs(opts.bugs ?? []);
  const ids = Array.from({ length: opts.nodes ?? 5 }, (_, i) => `n${i + 1}`);
  const faults = { partition: true, crash: true, pause: true, clock: true, loss: true, ...opts.faults };
  const faultMs = opts.faultMs ?? 2000;
  const endAt = faultMs + (opts.healMs ?? 1000);
  const trace: string[] = [];
  const log = (s: string) => {
    if (opts.trace) trace.push(`${q.now.toFixed(0).padStart(6)} ${s}`);
  };
  const monitor = new SafetyMonitor();
  const dropRate = faults.loss ? rnd() * 0.05 : 0;
  const maxDelay = 1 + Math.floor(rnd() * 20);
  let blocked = new Set<string>(); // "from>to"
  let events = 0;
  let snapshotsInstalled = 0;

  const nodes = new Map<NodeId, SimNode>(
    ids.map((id) => [id, { id, raft: null, disk: new SimDisk(), incarnation: 0, paused: false, deferred: [], wallOffset: 0, persisting: false }]),
  );
  const clockOf = (n: SimNode): Clock => ({ now: q.now, wall: q.now + n.wallOffset });

  // ------------------------------------------------------------ node lifecycle

  const start = (n: SimNode) => {
    n.incarnation += 1;
    n.persisting = false;
    n.raft = new RaftNode({ ...SIM_RAFT, readMode: opts.readMode ?? 'readindex', id: n.id, members: ids }, bugs, rnd, n.disk.recover(), monitor, clockOf(n));
    log(`${n.id} start (incarnation ${n.incarnation})`);
    const inc = n.incarnation;
    const tick = () => {
      if (n.incarnation !== inc || !n.raft) return;
      onNode(n, () => n.raft!.tick(clockOf(n)), true);
      q.after(TICK_MS, tick);
    };
    q.after(rnd() * TICK_MS, tick);
    if (bugs.has('no-fsync')) {
      const flush = () => {
        if (n.incarnation !== inc || !n.raft) return;
        n.disk.sync();
        q.after(NO_FSYNC_FLUSH_MS, flush);
      };
      q.after(NO_FSYNC_FLUSH_MS, flush);
    }
  };

  const crash = (n: SimNode) => {
    if (!n.raft) return;
    log(`${n.id} CRASH`);
    n.raft = null;
    n.incarnation += 1;
    n.disk.crash();
    n.paused = false;
    n.deferred = [];
  };

  /** Runs `fn` on the node now, or later if it is paused; ticks are simply skipped while paused. */
  const onNode = (n: SimNode, fn: () => void, isTick = false) => {
    if (!n.raft) return;
    if (n.paused) {
      if (!isTick) n.deferred.push(fn);
      return;
    }
    events++;
    fn();
    drain(n);
    if (events % 25 === 0) monitor.checkLogMatching([...nodes.values()].flatMap((x) => (x.raft ? [x.raft] : [])));
  };

  /** Processes Ready: persist (with a small disk latency), then send and reply, then advance. */
  const drain = (n: SimNode) => {
    if (!n.raft || n.persisting || n.paused) return;
    const raft = n.raft;
    const rd = raft.ready();
    if (!rd) return;
    n.persisting = true;
    const inc = n.incarnation;
    if (rd.snapshot) n.disk.saveSnapshot(rd.snapshot);
    snapshotsInstalled += rd.logLines.filter((l) => l.startsWith('installed snapshot')).length;
    n.disk.write(recordsFor(rd));
    for (const l of rd.logLines) log(`${n.id} ${l}`);
    const finish = () => {
      if (n.incarnation !== inc || !n.raft) return;
      if (n.paused) {
        n.deferred.push(finish);
        return;
      }
      // Bug knob no-fsync: the driver acknowledges without syncing; a periodic flush syncs later.
      if (!bugs.has('no-fsync')) n.disk.sync();
      deliver(n, rd);
      raft.advance(rd, clockOf(n));
      n.persisting = false;
      drain(n);
    };
    q.after(rnd() < 0.5 ? 0 : rnd() * 3, finish);
  };

  const deliver = (n: SimNode, rd: Ready) => {
    for (const m of rd.messages) send(m);
    for (const r of rd.replies) completeAttempt(r.reqId, r.outcome);
  };

  // ------------------------------------------------------------ network

  const send = (m: Message) => {
    if (rnd() < dropRate) return;
    const copies = rnd() < 0.01 ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      q.after(1 + rnd() * maxDelay, () => {
        if (blocked.has(`${m.from}>${m.to}`)) return;
        const to = nodes.get(m.to)!;
        onNode(to, () => to.raft!.step(m, clockOf(to)));
      });
    }
  };

  // ------------------------------------------------------------ clients

  interface Attempt {
    opId: number;
    done: boolean;
  }
  const attempts = new Map<number, Attempt>();
  let nextReq = 1;
  const history: SimOp[] = [];
  let opCounter = 0;
  let uniq = 0;

  const clients: ClientState[] = Array.from({ length: opts.clients ?? 3 }, (_, i) => ({
    id: `c${i + 1}`, seq: 0, preferred: ids[Math.floor(rnd() * ids.length)],
  }));

  type Pending = {
    op: SimOp;
    cmd?: WriteCommand;
    client: ClientState;
    deadline: number;
    maybeApplied: boolean;
    finished: boolean;
  };
  const pendingOps = new Map<number, Pending>();

  const finishOp = (p: Pending, status: 'ok' | 'fail' | 'info', output?: Json) => {
    if (p.finished) return;
    p.finished = true;
    pendingOps.delete(p.op.id);
    if (status === 'ok') {
      p.op.ret = q.now;
      p.op.output = output ?? null;
      p.op.status = 'ok';
      history.push(p.op);
    } else if (status === 'info') {
      p.op.ret = Infinity;
      p.op.status = 'info';
      history.push(p.op);
    }
    const next = 1 + rnd() * (opts.thinkMs ?? 15);
    if (q.now + next < endAt) q.after(next, () => issue(p.client));
  };

  const tryAttempt = (p: Pending, nodeId: NodeId) => {
    if (p.finished) return;
    if (q.now >= p.deadline) {
      finishOp(p, p.cmd && p.maybeApplied ? 'info' : 'fail');
      return;
    }
    const reqId = nextReq++;
    const att: Attempt = { opId: p.op.id, done: false };
    attempts.set(reqId, att);
    const n = nodes.get(nodeId)!;
    q.after(1 + rnd() * 3, () => {
      onNode(n, () => {
        if (p.cmd) n.raft!.propose(reqId, p.cmd, clockOf(n));
        else n.raft!.read(reqId, p.op.key, clockOf(n));
      });
    });
    // A request that hears nothing for a while may still apply: retry elsewhere with the same session.
    q.after(250, () => {
      if (att.done || p.finished) return;
      att.done = true;
      if (p.cmd) p.maybeApplied = true;
      p.client.preferred = ids[Math.floor(rnd() * ids.length)];
      tryAttempt(p, p.client.preferred);
    });
  };

  const completeAttempt = (reqId: number, outcome: Outcome) => {
    const att = attempts.get(reqId);
    if (!att || att.done) return;
    att.done = true;
    attempts.delete(reqId);
    const p = pendingOps.get(att.opId);
    if (!p || p.finished) return;
    q.after(1 + rnd() * 3, () => {
      if (p.finished) return;
      switch (outcome.kind) {
        case 'ok':
          return finishOp(p, 'ok', p.op.f === 'read' || p.op.f === 'append' ? (outcome.value ?? null) : null);
        case 'cas-mismatch':
        case 'not-a-string':
          // Definite failure of this attempt; if an earlier attempt may have applied, the op is unknown.
          return finishOp(p, p.maybeApplied ? 'info' : 'fail');
        case 'not-leader': {
          const hint = outcome.leader ?? ids[Math.floor(rnd() * ids.length)];
          p.client.preferred = hint;
          q.after(outcome.leader ? 1 : 20, () => tryAttempt(p, hint));
          return;
        }
        case 'unknown':
          if (p.cmd) p.maybeApplied = true;
          q.after(5, () => tryAttempt(p, p.client.preferred));
          return;
      }
    });
  };

  const issue = (c: ClientState) => {
    if (q.now >= endAt) return;
    const r = rnd();
    const key = r < 0.35 ? 'a' : r < 0.7 ? 'b' : 'l';
    const id = opCounter++;
    let op: SimOp;
    let cmd: WriteCommand | undefined;
    const session = () => ({ client: c.id, seq: ++c.seq });
    if (key === 'l') {
      if (rnd() < 0.5) op = { id, client: c.id, f: 'read', key, input: null, output: undefined, call: q.now, ret: Infinity, status: 'info' };
      else {
        const token = `${++uniq},`;
        op = { id, client: c.id, f: 'append', key, input: token, output: undefined, call: q.now, ret: Infinity, status: 'info' };
        cmd = { type: 'append', key, value: token, ...session() };
      }
    } else {
      const f = rnd();
      if (f < 0.4) op = { id, client: c.id, f: 'read', key, input: null, output: undefined, call: q.now, ret: Infinity, status: 'info' };
      else if (f < 0.75) {
        const v = ++uniq;
        op = { id, client: c.id, f: 'write', key, input: v, output: undefined, call: q.now, ret: Infinity, status: 'info' };
        cmd = { type: 'put', key, value: v, ...session() };
      } else {
        const from = Math.floor(rnd() * 5) === 0 ? null : uniq - Math.floor(rnd() * 3);
        const to = ++uniq;
        op = { id, client: c.id, f: 'cas', key, input: [from, to], output: undefined, call: q.now, ret: Infinity, status: 'info' };
        cmd = { type: 'cas', key, from, to, ...session() };
      }
    }
    const p: Pending = { op, cmd, client: c, deadline: q.now + 1200, maybeApplied: false, finished: false };
    pendingOps.set(id, p);
    tryAttempt(p, c.preferred);
  };

  // ------------------------------------------------------------ nemesis

  const live = () => [...nodes.values()].filter((n) => n.raft);
  const currentLeader = () => live().find((n) => n.raft!.role === 'leader' && !n.paused);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];

  const heal = () => {
    blocked = new Set();
    for (const n of nodes.values()) {
      if (!n.raft) start(n);
      if (n.paused) resume(n);
    }
    log('heal all');
  };
  const resume = (n: SimNode) => {
    n.paused = false;
    log(`${n.id} resume`);
    const work = n.deferred;
    n.deferred = [];
    for (const fn of work) {
      if (!n.raft) return;
      onNode(n, fn);
    }
  };
  const partition = (groups: NodeId[][]) => {
    blocked = new Set();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) blocked.add(`${x}>${y}`);
    log(`partition ${groups.map((g) => g.join(',')).join(' | ')}`);
  };

  const nemesisStep = () => {
    if (q.now >= faultMs) return heal();
    const r = rnd();
    const leader = currentLeader();
    if (r < 0.3 && faults.partition) {
      const shuffled = [...ids].sort(() => rnd() - 0.5);
      if (leader && rnd() < 0.5) partition([[leader.id], ids.filter((i) => i !== leader.id)]);
      else {
        const cut = 1 + Math.floor(rnd() * (ids.length - 1));
        partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
      }
    } else if (r < 0.45) {
      blocked = new Set();
      log('heal partition');
    } else if (r < 0.65 && faults.crash) {
      const victims = rnd() < 0.2 ? live() : [leader && rnd() < 0.5 ? leader : pick(ids.map((i) => nodes.get(i)!))];
      for (const v of victims) crash(v);
      const down = victims.filter((v) => !v.raft);
      q.after(20 + rnd() * 400, () => down.forEach((v) => !v.raft && start(v)));
    } else if (r < 0.8 && faults.pause) {
      const v = leader && rnd() < 0.6 ? leader : pick(live());
      if (v && !v.paused) {
        v.paused = true;
        log(`${v.id} pause`);
        q.after(100 + rnd() * 500, () => v.raft && v.paused && resume(v));
      }
    } else if (r < 0.9 && faults.clock) {
      const v = leader ?? pick(ids.map((i) => nodes.get(i)!));
      v.wallOffset -= 500 + rnd() * 2500;
      log(`${v.id} wall clock back to offset ${v.wallOffset.toFixed(0)}`);
    }
    q.after(50 + rnd() * 400, nemesisStep);
  };

  // ------------------------------------------------------------ run

  for (const n of nodes.values()) start(n);
  for (const c of clients) q.after(200 + rnd() * 50, () => issue(c));
  q.after(300 + rnd() * 200, nemesisStep);
  q.at(faultMs, heal);
  while (q.runNext(endAt + 2000)) {
    if (monitor.violations.length > 0) break;
  }
  // Anything still in flight has an unknown outcome.
  for (const p of [...pendingOps.values()]) if (p.cmd && !p.finished) finishOp(p, 'info');

  const violations = [...monitor.violations];
  if (violations.length === 0) {
    monitor.checkLogMatching(live().map((n) => n.raft!));
    violations.push(...monitor.violations);
  }
  if (violations.length === 0) {
    for (const key of ['a', 'b', 'l']) {
      const r = checkLinearizable(history.filter((o) => o.key === key));
      if (r.error) violations.push(r.error);
    }
  }
  return {
    seed: opts.seed,
    violations,
    stats: {
      events, ops: history.length, okOps: history.filter((o) => o.status === 'ok').length,
      leaders: monitor.leaderCount, snapshotsInstalled, maxTerm: monitor.maxTerm,
    },
    trace,
    history,
  };
}
