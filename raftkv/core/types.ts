/**
 * Data exchanged by the deterministic Raft core (raft-node.ts) and its drivers: the real server
 * (server/) and the in-process simulation (sim/). Everything here is plain JSON so it can cross a socket.
 */
export type NodeId = string;
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A state-machine command. `client`/`seq` form a session so a retried write applies once. */
export type Command =
  | { type: 'noop' }
  | { type: 'put'; key: string; value: Json; client?: string; seq?: number }
  | { type: 'cas'; key: string; from: Json; to: Json; client?: string; seq?: number }
  | { type: 'append'; key: string; value: string; client?: string; seq?: number };

export type WriteCommand = Exclude<Command, { type: 'noop' }>;

export interface Entry {
  index: number;
  term: number;
  cmd: Command;
}

/** What a client request ends with. `unknown` = may or may not have applied (becomes HTTP 504). */
export type Outcome =
  | { kind: 'ok'; value?: Json }
  | { kind: 'cas-mismatch'; current: Json }
  | { kind: 'not-a-string'; current: Json }
  | { kind: 'not-leader'; leader: NodeId | null }
  | { kind: 'unknown'; reason: string };

export interface HardState {
  term: number;
  votedFor: NodeId | null;
}

export interface SnapshotMeta {
  index: number;
  term: number;
}

/** The state machine image at `meta.index`: KV map plus session table. */
export interface SnapshotData {
  kv: Record<string, Json>;
  sessions: Record<string, { seq: number; outcome: Outcome }>;
}

export interface Snapshot {
  meta: SnapshotMeta;
  data: SnapshotData;
}

export type Message =
  | { type: 'prevote'; from: NodeId; to: NodeId; term: number; lastIndex: number; lastTerm: number }
  | { type: 'prevote-resp'; from: NodeId; to: NodeId; term: number; granted: boolean }
  | { type: 'vote'; from: NodeId; to: NodeId; term: number; lastIndex: number; lastTerm: number }
  | { type: 'vote-resp'; from: NodeId; to: NodeId; term: number; granted: boolean }
  | {
      type: 'append';
      from: NodeId;
      to: NodeId;
      term: number;
      prevIndex: number;
      prevTerm: number;
      entries: Entry[];
      commit: number;
      /** Heartbeat round, echoed back; ReadIndex and CheckQuorum count acks per round. */
      round: number;
    }
  | {
      type: 'append-resp';
      from: NodeId;
      to: NodeId;
      term: number;
      success: boolean;
      /** On success: last index known to match. On failure: where the leader should probe next. */
      index: number;
      round: number;
    }
  | { type: 'snapshot'; from: NodeId; to: NodeId; term: number; snapshot: Snapshot; round: number };

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * Output of the core since the last `ready()`. The driver must, in order:
 * 1. save `snapshot` (if any), then write `hardState`/`truncateFrom`/`entries` and make them durable;
 * 2. only then send `messages` and deliver `replies` (they may depend on what was just persisted);
 * 3. call `advance(ready)`.
 */
export interface Ready {
  hardState?: HardState;
  /** Delete log entries with index >= truncateFrom before appending `entries`. */
  truncateFrom?: number;
  entries: Entry[];
  /** Entries replaced in place, keeping what follows (only under the no-truncate bug knob). */
  overwrites?: Entry[];
  /** A snapshot to persist: taken locally (compaction) or installed from the leader. */
  snapshot?: Snapshot;
  messages: Message[];
  replies: { reqId: number; outcome: Outcome }[];
  /** Role/term change lines for the node's log. */
  logLines: string[];
}

export interface RaftConfig {
  id: NodeId;
  /** Every member including `id`. */
  members: NodeId[];
  electionMinMs: number;
  electionMaxMs: number;
  heartbeatMs: number;
  /** Lease length for lease reads (must stay below electionMinMs for the correct monotonic mode). */
  leaseMs: number;
  /** 'readindex' (default) or 'lease' (monotonic lease; correct if clocks drift within bounds). */
  readMode: 'readindex' | 'lease';
  /** Take a snapshot once this many applied entries follow the last one. */
  snapshotEvery: number;
  /** Entries per AppendEntries message. */
  maxBatch: number;
}

export const DEFAULT_RAFT_CONFIG: Omit<RaftConfig, 'id' | 'members'> = {
  electionMinMs: 300,
  electionMaxMs: 600,
  heartbeatMs: 50,
  leaseMs: 240,
  readMode: 'readindex',
  snapshotEvery: 10_000,
  maxBatch: 512,
};
