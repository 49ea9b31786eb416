import type { Bugs } from '../bugs.js';
import { KvMachine } from './kv-machine.js';
import { RaftLog } from './raft-log.js';
import type {
  Entry,
  HardState,
  Json,
  Message,
  NodeId,
  Outcome,
  RaftConfig,
  Ready,
  Role,
  Snapshot,
  WriteCommand,
} from './types.js';

/** What a node restarts from: the durable term/vote, the last snapshot and the log after it. */
export interface RestoredState {
  hardState: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
}

/** Hooks the simulation uses to check Raft's safety properties as they happen. */
export interface RaftObserver {
  becameLeader?(id: NodeId, term: number, log: RaftLog): void;
  /** `term` is the node's current term when it applied the entry. */
  applied?(id: NodeId, entry: Entry, term: number): void;
}

/** Moments in milliseconds: `now` is monotonic (every timer and correct lease); `wall` is Date.now()-like. */
export interface Clock {
  now: number;
  wall: number;
}

interface Progress {
  next: number;
  match: number;
  /** A replication message is outstanding; don't send new entries until it is answered or times out. */
  inflightSince: number | null;
  lastSentAt: number;
  lastAckAt: number;
  /** Wall-clock twin of lastAckAt, used only by the lease-reads bug knob. */
  lastAckWall: number;
  ackedRound: number;
}

interface PendingRead {
  reqId: number;
  key: string;
  /** -1 until the leader has committed an entry of its own term (ReadIndex step i). */
  readIndex: number;
  /** Heartbeat round that must be acknowledged by a majority; 0 = not yet sent. */
  round: number;
  confirmed: boolean;
}

/**
 * The Raft core as a deterministic state machine: events in (`tick`, `step`, `propose`, `read`), effects
 * out (`ready()`: persist, send, reply). It never reads a clock, a socket or a disk: the real server and the
 * simulation drive it the same way. Follows the Raft paper's Figure 2, plus PreVote and CheckQuorum
 * (dissertation §9.6, §6.2), a no-op per term, ReadIndex reads (§6.4) and client sessions (§6.3).
 */
export class RaftNode {
  readonly id: NodeId;
  private readonly peers: NodeId[];
  private readonly quorum: number;

  // Durable state (mirrored to disk through Ready).
  private term = 0;
  private votedFor: NodeId | null = null;
  readonly log: RaftLog;
  private lastSnapshot: Snapshot | undefined;

  // Volatile state.
  private roleValue: Role = 'follower';
  private leaderId: NodeId | null = null;
  private commit = 0;
  private applied = 0;
  private readonly machine: KvMachine;
  private clock: Clock = { now: 0, wall: 0 };
  private electionDeadline = 0;
  private lastHeardLeaderAt = -Infinity;
  private votes = new Set<NodeId>();

  // Leader state.
  private progress = new Map<NodeId, Progress>();
  private round = 0;
  private roundSent = new Map<number, Clock>();
  private leaseUntil = -Infinity;
  private leaseUntilWall = -Infinity;
  private pendingWrites = new Map<number, { reqId: number; term: number; acked: boolean; cmd: WriteCommand }>();
  private pendingReads: PendingRead[] = [];

  /** Highest index whose entry is durable locally and still in the log (the leader counts itself with it). */
  private stableIndex: number;
  private truncatedSinceReady = Infinity;
  private outstanding: Ready | undefined;
  private out: Ready = RaftNode.emptyReady();

  constructor(
    private readonly cfg: RaftConfig,
    private readonly bugs: Bugs,
    private readonly random: () => number,
    restored?: RestoredState,
    private readonly observer: RaftObserver = {},
    clock: Clock = { now: 0, wall: 0 },
  ) {
    this.id = cfg.id;
    this.peers = cfg.members.filter((m) => m !== cfg.id);
    this.quorum = Math.floor(cfg.members.length / 2) + 1;
    this.machine = new KvMachine(bugs);
    this.clock = clock;
    if (restored) {
      this.term = restored.hardState.term;
      this.votedFor = restored.hardState.votedFor;
      this.lastSnapshot = restored.snapshot;
      if (restored.snapshot) {
        this.machine.restore(restored.snapshot.data);
        this.commit = this.applied = restored.snapshot.meta.index;
      }
      this.log = new RaftLog(restored.snapshot?.meta, restored.entries);
    } else {
      this.log = new RaftLog();
    }
    this.stableIndex = this.log.lastIndex;
    // A node that just (re)started may have missed a live leader: it waits an election timeout before
    // helping anyone else campaign, which keeps a restart from cutting a leader's lease short.
    this.lastHeardLeaderAt = clock.now;
    this.resetElectionTimer();
  }

  // ---------------------------------------------------------------- status

  get role(): Role {
    return this.roleValue;
  }
  get currentTerm(): number {
    return this.term;
  }
  get leader(): NodeId | null {
    return this.leaderId;
  }
  get commitIndex(): number {
    return this.commit;
  }
  get lastApplied(): number {
    return this.applied;
  }
  get votedForId(): NodeId | null {
    return this.votedFor;
  }
  /** Local state machine value (tests, and the stale-reads knob). */
  localValue(key: string): Json {
    return this.machine.get(key);
  }

  // ---------------------------------------------------------------- events in

  tick(clock: Clock): void {
    this.clock = clock;
    const now = clock.now;
    if (this.roleValue === 'leader') {
      if (this.checkQuorumLost()) {
        this.becomeFollower(this.term, null, 'lost contact with a majority (CheckQuorum)');
        return;
      }
      for (const peer of this.peers) {
        const p = this.progress.get(peer)!;
        const stale = p.inflightSince !== null && now - p.inflightSince >= this.cfg.heartbeatMs * 2;
        if (stale) p.inflightSince = null;
      }
      const last = this.roundSent.get(this.round);
      if (!last || now - last.now >= this.cfg.heartbeatMs) this.broadcast(true);
      return;
    }
    if (now >= this.electionDeadline) this.startPreVote();
  }

  step(msg: Message, clock: Clock): void {
    this.clock = clock;
    if (msg.to !== this.id || !this.cfg.members.includes(msg.from)) return;
    switch (msg.type) {
      case 'prevote':
        return this.onPreVote(msg);
      case 'prevote-resp':
        return this.onPreVoteResp(msg);
    }
    if (msg.term > this.term) {
      const leader = msg.type === 'append' || msg.type === 'snapshot' ? msg.from : null;
      this.becomeFollower(msg.term, leader, `saw term ${msg.term} from ${msg.from}`);
    }
    if (msg.term < this.term) {
      // Tell a stale leader or candidate about the newer term so it steps down.
      if (msg.type === 'append' || msg.type === 'snapshot') {
        this.send({ type: 'append-resp', from: this.id, to: msg.from, term: this.term, success: false, index: 0, round: msg.round });
      } else if (msg.type === 'vote') {
        this.send({ type: 'vote-resp', from: this.id, to: msg.from, term: this.term, granted: false });
      }
      return;
    }
    switch (msg.type) {
      case 'vote':
        return this.onVote(msg);
      case 'vote-resp':
        return this.onVoteResp(msg);
      case 'append':
        return this.onAppend(msg);
      case 'append-resp':
        return this.onAppendResp(msg);
      case 'snapshot':
        return this.onSnapshot(msg);
    }
  }

  /** A client write. The outcome arrives in a later Ready's `replies` under `reqId`. */
  propose(reqId: number, cmd: WriteCommand, clock: Clock): void {
    this.clock = clock;
    if (this.roleValue !== 'leader') {
      this.reply(reqId, { kind: 'not-leader', leader: this.leaderId });
      return;
    }
    const entry: Entry = { index: this.log.lastIndex + 1, term: this.term, cmd };
    this.appendLocal(entry);
    this.pendingWrites.set(entry.index, { reqId, term: this.term, acked: false, cmd });
    this.broadcast(false);
  }

  /** A client read of `key`: linearizable (ReadIndex or monotonic lease) unless a read knob is on. */
  read(reqId: number, key: string, clock: Clock): void {
    this.clock = clock;
    // Bug knob stale-reads: any node, leader or not, answers from whatever it has applied.
    if (this.bugs.has('stale-reads')) {
      this.reply(reqId, { kind: 'ok', value: this.machine.get(key) });
      return;
    }
    if (this.roleValue !== 'leader') {
      this.reply(reqId, { kind: 'not-leader', leader: this.leaderId });
      return;
    }
    // Bug knob lease-reads: trust a lease measured on the wall clock, which skew or a jump can stretch.
    if (this.bugs.has('lease-reads') && clock.wall < this.leaseUntilWall) {
      this.reply(reqId, { kind: 'ok', value: this.machine.get(key) });
      return;
    }
    const read: PendingRead = { reqId, key, readIndex: -1, round: 0, confirmed: false };
    if (this.ownTermCommitted()) {
      read.readIndex = this.commit;
      if (this.cfg.readMode === 'lease' && clock.now < this.leaseUntil) read.confirmed = true;
    }
    this.pendingReads.push(read);
    // Bug knob commit-old-term drops the no-op at election; without an entry of its own term the leader
    // could never serve a read (ReadIndex waits for one), and a run whose last election came after the
    // last write would end with no final read. The knob only needs the election without it: a read asks
    // for the blank entry late, once.
    if (this.bugs.has('commit-old-term') && !this.ownTermCommitted() && this.log.termAt(this.log.lastIndex) !== this.term) {
      this.appendLocal({ index: this.log.lastIndex + 1, term: this.term, cmd: { type: 'noop' } });
      this.broadcast(false);
    }
    this.progressReads();
  }

  /** Collects everything produced since the last call. Only one Ready may be outstanding at a time. */
  ready(): Ready | undefined {
    if (this.outstanding) return undefined;
    this.startReadRound();
    const o = this.out;
    const empty =
      !o.hardState && o.truncateFrom === undefined && o.entries.length === 0 && !o.snapshot &&
      o.messages.length === 0 && o.replies.length === 0 && o.logLines.length === 0 && (o.overwrites?.length ?? 0) === 0;
    if (empty) return undefined;
    this.out = RaftNode.emptyReady();
    this.truncatedSinceReady = Infinity;
    this.outstanding = o;
    return o;
  }

  /** The driver has persisted `rd` (and sent its messages). */
  advance(rd: Ready, clock: Clock): void {
    this.clock = clock;
    if (rd !== this.outstanding) throw new Error('advance() called with a Ready that is not outstanding');
    this.outstanding = undefined;
    let durable = rd.entries.length > 0 ? rd.entries[rd.entries.length - 1].index : -1;
    if (rd.snapshot) durable = Math.max(durable, rd.snapshot.meta.index);
    if (durable >= 0) {
      this.stableIndex = Math.max(this.stableIndex, Math.min(durable, this.truncatedSinceReady - 1, this.log.lastIndex));
    }
    if (this.roleValue === 'leader') {
      this.maybeCommit();
      // Bug knob ack-before-commit: answer as soon as the entry is durable on the leader alone.
      if (this.bugs.has('ack-before-commit')) {
        for (const [index, w] of this.pendingWrites) {
          if (index <= this.stableIndex && !w.acked) {
            w.acked = true;
            this.reply(w.reqId, this.machine.preview(w.cmd));
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- elections

  private startPreVote(): void {
    this.roleValue = 'precandidate';
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.resetElectionTimer();
    this.out.logLines.push(`role=precandidate term=${this.term} (election timeout)`);
    if (this.votes.size >= this.quorum) return this.becomeCandidate();
    for (const peer of this.peers) {
      this.send({ type: 'prevote', from: this.id, to: peer, term: this.term + 1, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm });
    }
  }

  private becomeCandidate(): void {
    this.term += 1;
    this.votedFor = this.id;
    this.persistHardState();
    this.roleValue = 'candidate';
    this.leaderId = null;
    this.votes = new Set([this.id]);
    this.resetElectionTimer();
    this.out.logLines.push(`role=candidate term=${this.term}`);
    if (this.votes.size >= this.quorum) return this.becomeLeader();
    for (const peer of this.peers) {
      this.send({ type: 'vote', from: this.id, to: peer, term: this.term, lastIndex: this.log.lastIndex, lastTerm: this.log.lastTerm });
    }
  }

  private becomeLeader(): void {
    this.roleValue = 'leader';
    this.leaderId = this.id;
    this.round = 0;
    this.roundSent.clear();
    this.leaseUntil = this.leaseUntilWall = -Infinity;
    this.progress.clear();
    for (const peer of this.peers) {
      this.progress.set(peer, {
        next: this.log.lastIndex + 1, match: 0, inflightSince: null, lastSentAt: -Infinity,
        lastAckAt: this.clock.now, lastAckWall: this.clock.wall, ackedRound: 0,
      });
    }
    this.out.logLines.push(`role=leader term=${this.term}`);
    this.observer.becameLeader?.(this.id, this.term, this.log);
    // A blank entry of the new term lets older entries commit and unblocks ReadIndex (§8). Bug knob
    // commit-old-term drops it, or the Figure 8 mistake could never show.
    if (!this.bugs.has('commit-old-term')) {
      this.appendLocal({ index: this.log.lastIndex + 1, term: this.term, cmd: { type: 'noop' } });
    }
    this.broadcast(true);
  }

  private becomeFollower(term: number, leader: NodeId | null, why: string): void {
    const changed = term !== this.term || this.roleValue !== 'follower' || leader !== this.leaderId;
    if (term > this.term) {
      this.term = term;
      this.votedFor = null;
      this.persistHardState();
    }
    const wasLeader = this.roleValue === 'leader';
    this.roleValue = 'follower';
    this.leaderId = leader;
    if (leader !== null) this.lastHeardLeaderAt = this.clock.now;
    this.resetElectionTimer();
    if (wasLeader) this.failPending();
    if (changed) this.out.logLines.push(`role=follower term=${this.term} leader=${leader ?? '-'} (${why})`);
  }

  /** §5.4.1: the candidate's log must be at least as up to date as ours. */
  private candidateLogOk(lastIndex: number, lastTerm: number): boolean {
    // Bug knob vote-without-log-check: any higher term wins the vote, however short its log.
    if (this.bugs.has('vote-without-log-check')) return true;
    const myTerm = this.log.lastTerm;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.log.lastIndex);
  }

  private onPreVote(m: Extract<Message, { type: 'prevote' }>): void {
    // Grant only if we would vote, and we have not heard from a live leader for an election timeout:
    // this keeps a rejoining node from deposing a healthy leader (dissertation §9.6).
    const leaderAlive =
      this.roleValue === 'leader' || this.clock.now - this.lastHeardLeaderAt < this.cfg.electionMinMs;
    const granted = m.term > this.term && !leaderAlive && this.candidateLogOk(m.lastIndex, m.lastTerm);
    this.send({ type: 'prevote-resp', from: this.id, to: m.from, term: granted ? m.term : this.term, granted });
  }

  private onPreVoteResp(m: Extract<Message, { type: 'prevote-resp' }>): void {
    if (this.roleValue !== 'precandidate') return;
    if (m.granted && m.term === this.term + 1) {
      this.votes.add(m.from);
      if (this.votes.size >= this.quorum) this.becomeCandidate();
    } else if (!m.granted && m.term > this.term) {
      this.becomeFollower(m.term, null, `pre-vote rejected at term ${m.term}`);
    }
  }

  private onVote(m: Extract<Message, { type: 'vote' }>): void {
    const free = this.votedFor === null || this.votedFor === m.from;
    const granted = free && this.candidateLogOk(m.lastIndex, m.lastTerm);
    if (granted) {
      this.votedFor = m.from;
      this.persistHardState();
      this.resetElectionTimer();
    }
    this.send({ type: 'vote-resp', from: this.id, to: m.from, term: this.term, granted });
  }

  private onVoteResp(m: Extract<Message, { type: 'vote-resp' }>): void {
    if (this.roleValue !== 'candidate' || !m.granted) return;
    this.votes.add(m.from);
    if (this.votes.size >= this.quorum) this.becomeLeader();
  }

  // ---------------------------------------------------------------- replication (follower side)

  private acceptLeader(from: NodeId): void {
    if (this.roleValue !== 'follower' || this.leaderId !== from) this.becomeFollower(this.term, from, `leader is ${from}`);
    this.leaderId = from;
    this.lastHeardLeaderAt = this.clock.now;
    this.resetElectionTimer();
  }

  private onAppend(m: Extract<Message, { type: 'append' }>): void {
    this.acceptLeader(m.from);
    let prevIndex = m.prevIndex;
    let prevTerm = m.prevTerm;
    let entries = m.entries;
    const snap = this.log.snapshotMeta;
    if (prevIndex < snap.index) {
      // The start of the batch is already in our snapshot (committed, hence identical): skip it.
      entries = entries.filter((e) => e.index > snap.index);
      prevIndex = snap.index;
      prevTerm = snap.term;
    }
    const reply = (success: boolean, index: number) =>
      this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.term, success, index, round: m.round });
    if (this.log.termAt(prevIndex) !== prevTerm) {
      reply(false, this.conflictHint(prevIndex));
      return;
    }
    for (const e of entries) {
      const have = this.log.termAt(e.index);
      if (have === e.term) continue;
      if (have === undefined) {
        this.appendLocal(e);
      } else if (this.bugs.has('no-truncate')) {
        // Bug knob no-truncate: overwrite in place and keep whatever stale suffix follows.
        this.log.overwrite(e);
        (this.out.overwrites ??= []).push(e);
      } else {
        this.truncate(e.index);
        this.appendLocal(e);
      }
    }
    const lastNew = entries.length > 0 ? entries[entries.length - 1].index : prevIndex;
    // §5.3: commit no further than the last entry this message vouched for; the knob trusts leaderCommit.
    const bound = this.bugs.has('no-truncate') ? this.log.lastIndex : lastNew;
    const target = Math.min(m.commit, bound);
    if (target > this.commit) {
      this.commit = target;
      this.applyCommitted();
    }
    reply(true, lastNew);
  }

  /** Where the leader should probe next after a mismatch at prevIndex: skip the whole conflicting term. */
  private conflictHint(prevIndex: number): number {
    if (prevIndex > this.log.lastIndex) return this.log.lastIndex;
    const badTerm = this.log.termAt(prevIndex);
    let i = prevIndex - 1;
    const floor = Math.max(this.commit, this.log.snapshotMeta.index);
    while (i > floor && this.log.termAt(i) === badTerm) i--;
    return i;
  }

  private onSnapshot(m: Extract<Message, { type: 'snapshot' }>): void {
    this.acceptLeader(m.from);
    const meta = m.snapshot.meta;
    if (meta.index > this.commit) {
      const keepsSuffix = this.log.termAt(meta.index) === meta.term;
      this.log.compact(meta);
      if (!keepsSuffix) this.recordTruncation(meta.index + 1);
      this.machine.restore(m.snapshot.data);
      this.commit = this.applied = meta.index;
      this.lastSnapshot = m.snapshot;
      this.out.snapshot = m.snapshot;
      this.out.logLines.push(`installed snapshot at index ${meta.index} term ${meta.term} from ${m.from}`);
    }
    this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.term, success: true, index: meta.index, round: m.round });
  }

  // ---------------------------------------------------------------- replication (leader side)

  private onAppendResp(m: Extract<Message, { type: 'append-resp' }>): void {
    if (this.roleValue !== 'leader') return;
    const p = this.progress.get(m.from);
    if (!p) return;
    p.inflightSince = null;
    p.lastAckAt = this.clock.now;
    p.lastAckWall = this.clock.wall;
    if (m.round > p.ackedRound) p.ackedRound = m.round;
    if (m.success) {
      if (m.index > p.match) p.match = m.index;
      if (m.index + 1 > p.next) p.next = m.index + 1;
      this.maybeCommit();
    } else {
      p.next = Math.max(p.match + 1, Math.min(p.next, m.index + 1));
    }
    this.updateLease();
    this.progressReads();
    if (p.next <= this.log.lastIndex) this.sendTo(m.from, false);
  }

  /** Sends new entries to peers with nothing in flight; `heartbeat` sends to all and opens a new round. */
  private broadcast(heartbeat: boolean): void {
    if (heartbeat) {
      this.round += 1;
      this.roundSent.set(this.round, { ...this.clock });
      this.roundSent.delete(this.round - 64);
    }
    for (const peer of this.peers) {
      const p = this.progress.get(peer)!;
      if (heartbeat || (p.inflightSince === null && p.next <= this.log.lastIndex)) this.sendTo(peer, heartbeat);
    }
    if (this.peers.length === 0) {
      this.updateLease();
      this.progressReads();
    }
  }

  private sendTo(peer: NodeId, heartbeat: boolean): void {
    const p = this.progress.get(peer)!;
    p.lastSentAt = this.clock.now;
    const prevIndex = p.next - 1;
    const prevTerm = this.log.termAt(prevIndex);
    if (prevTerm === undefined && this.lastSnapshot) {
      // The entries this follower needs are compacted away: ship the snapshot instead.
      p.inflightSince = this.clock.now;
      this.send({ type: 'snapshot', from: this.id, to: peer, term: this.term, snapshot: this.lastSnapshot, round: this.round });
      return;
    }
    const entries = this.log.slice(p.next, this.log.lastIndex, this.cfg.maxBatch);
    if (entries.length > 0 || !heartbeat) p.inflightSince = this.clock.now;
    this.send({
      type: 'append', from: this.id, to: peer, term: this.term, prevIndex, prevTerm: prevTerm ?? 0,
      entries, commit: this.commit, round: this.round,
    });
  }

  private maybeCommit(): void {
    const matches = [this.stableIndex, ...this.peers.map((p) => this.progress.get(p)!.match)].sort((a, b) => b - a);
    const n = matches[this.quorum - 1];
    if (n <= this.commit) return;
    // Figure 8: only an entry of the current term may be committed by counting replicas.
    // Bug knob commit-old-term: count replicas for any entry.
    if (this.log.termAt(n) !== this.term && !this.bugs.has('commit-old-term')) return;
    this.commit = n;
    this.applyCommitted();
    this.progressReads();
  }

  private checkQuorumLost(): boolean {
    if (this.peers.length === 0) return false;
    // Bug knob lease-reads: the lease's step-down timer also runs on the wall clock, so a clock set back
    // keeps an isolated leader in office (and serving lease reads) long after a new one was elected.
    const wall = this.bugs.has('lease-reads');
    const acks = this.peers.map((p) => (wall ? this.progress.get(p)!.lastAckWall : this.progress.get(p)!.lastAckAt)).sort((a, b) => b - a);
    const quorumAck = acks[this.quorum - 2];
    return (wall ? this.clock.wall : this.clock.now) - quorumAck > this.cfg.electionMinMs;
  }

  // ---------------------------------------------------------------- reads

  private ownTermCommitted(): boolean {
    return this.log.termAt(this.commit) === this.term;
  }

  /** Highest heartbeat round acknowledged by a majority (self included). */
  private quorumRound(): number {
    const rounds = [this.round, ...this.peers.map((p) => this.progress.get(p)!.ackedRound)].sort((a, b) => b - a);
    return rounds[this.quorum - 1];
  }

  private updateLease(): void {
    const r = this.quorumRound();
    const sent = this.roundSent.get(r);
    if (!sent) return;
    // Correct lease: counted from when the confirming round was sent, on the monotonic clock.
    this.leaseUntil = Math.max(this.leaseUntil, sent.now + this.cfg.leaseMs);
    // Bug knob lease-reads: wall clock at ack time plus a full election timeout, no drift margin.
    if (this.bugs.has('lease-reads')) this.leaseUntilWall = this.clock.wall + this.cfg.electionMinMs;
  }

  /** Opens one heartbeat round for all reads waiting for one (batched per Ready). */
  private startReadRound(): void {
    if (this.roleValue !== 'leader') return;
    if (!this.pendingReads.some((r) => r.readIndex >= 0 && r.round === 0 && !r.confirmed)) return;
    this.broadcast(true);
    for (const r of this.pendingReads) if (r.readIndex >= 0 && r.round === 0) r.round = this.round;
    this.progressReads();
  }

  private progressReads(): void {
    if (this.pendingReads.length === 0) return;
    const confirmedRound = this.quorumRound();
    const ownTerm = this.ownTermCommitted();
    const rest: PendingRead[] = [];
    for (const r of this.pendingReads) {
      if (r.readIndex < 0 && ownTerm) r.readIndex = this.commit;
      if (!r.confirmed && r.round > 0 && confirmedRound >= r.round) r.confirmed = true;
      if (r.confirmed && this.applied >= r.readIndex) {
        this.reply(r.reqId, { kind: 'ok', value: this.machine.get(r.key) });
      } else {
        rest.push(r);
      }
    }
    this.pendingReads = rest;
  }

  // ---------------------------------------------------------------- applying, snapshots, bookkeeping

  private applyCommitted(): void {
    while (this.applied < this.commit) {
      const e = this.log.entry(this.applied + 1);
      if (!e) break; // only possible under the no-truncate knob's commit rule
      const outcome = this.machine.apply(e.cmd);
      this.applied = e.index;
      this.observer.applied?.(this.id, e, this.term);
      const w = this.pendingWrites.get(e.index);
      if (w) {
        this.pendingWrites.delete(e.index);
        if (!w.acked) this.reply(w.reqId, w.term === e.term ? outcome : { kind: 'unknown', reason: 'entry replaced' });
      }
    }
    if (this.applied - this.log.snapshotMeta.index >= this.cfg.snapshotEvery) this.takeSnapshot();
  }

  private takeSnapshot(): void {
    const meta = { index: this.applied, term: this.log.termAt(this.applied)! };
    const snapshot: Snapshot = { meta, data: this.machine.snapshot() };
    this.log.compact(meta);
    this.lastSnapshot = snapshot;
    this.out.snapshot = snapshot;
  }

  private failPending(): void {
    for (const w of this.pendingWrites.values()) {
      if (!w.acked) this.reply(w.reqId, { kind: 'unknown', reason: 'leadership lost before commit' });
    }
    this.pendingWrites.clear();
    for (const r of this.pendingReads) this.reply(r.reqId, { kind: 'not-leader', leader: this.leaderId });
    this.pendingReads = [];
  }

  private appendLocal(e: Entry): void {
    this.log.appendOne(e);
    this.out.entries.push(e);
  }

  private truncate(from: number): void {
    this.log.truncateFrom(from);
    this.recordTruncation(from);
  }

  private recordTruncation(from: number): void {
    this.out.truncateFrom = Math.min(this.out.truncateFrom ?? Infinity, from);
    this.out.entries = this.out.entries.filter((e) => e.index < from);
    if (this.out.overwrites) this.out.overwrites = this.out.overwrites.filter((e) => e.index < from);
    this.stableIndex = Math.min(this.stableIndex, from - 1);
    this.truncatedSinceReady = Math.min(this.truncatedSinceReady, from);
    for (const [index, w] of this.pendingWrites) {
      if (index >= from) {
        this.pendingWrites.delete(index);
        if (!w.acked) this.reply(w.reqId, { kind: 'unknown', reason: 'entry truncated' });
      }
    }
  }

  private persistHardState(): void {
    this.out.hardState = { term: this.term, votedFor: this.votedFor };
  }

  private resetElectionTimer(): void {
    const span = this.cfg.electionMaxMs - this.cfg.electionMinMs;
    this.electionDeadline = this.clock.now + this.cfg.electionMinMs + Math.floor(this.random() * span);
  }

  private send(m: Message): void {
    this.out.messages.push(m);
  }

  private reply(reqId: number, outcome: Outcome): void {
    this.out.replies.push({ reqId, outcome });
  }

  private static emptyReady(): Ready {
    return { entries: [], messages: [], replies: [], logLines: [] };
  }
}
