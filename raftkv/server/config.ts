import { parseBugs, UnknownBugError, type Bugs } from '../bugs.js';
import { DEFAULT_RAFT_CONFIG, type NodeId } from '../core/types.js';

/** Everything a raftkv node needs to start, from env (RAFTKV_*) and/or flags (--id, --peers, ...). */
export interface ServerConfig {
  id: NodeId;
  peers: Map<NodeId, { host: string; port: number }>;
  /** Client API port; 0 picks a free port (tests). */
  port: number;
  peerPort: number;
  /** Address both servers bind to. */
  bindHost: string;
  dataDir: string;
  electionMinMs: number;
  electionMaxMs: number;
  heartbeatMs: number;
  leaseMs: number;
  readMode: 'readindex' | 'lease';
  snapshotEvery: number;
  requestTimeoutMs: number;
  /** How often the no-fsync knob flushes its in-process buffer. */
  lazyFlushMs: number;
  /** Entries per AppendEntries message (a lagging follower catches up in batches of this size). */
  maxBatch: number;
  bugs: Bugs;
}

/** A configuration mistake; main.ts prints the message alone and exits with status 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const FLAGS: Record<string, string> = {
  id: 'RAFTKV_ID',
  peers: 'RAFTKV_PEERS',
  port: 'RAFTKV_PORT',
  'peer-port': 'RAFTKV_PEER_PORT',
  bind: 'RAFTKV_BIND',
  data: 'RAFTKV_DATA',
  'election-ms': 'RAFTKV_ELECTION_MS',
  'heartbeat-ms': 'RAFTKV_HEARTBEAT_MS',
  'lease-ms': 'RAFTKV_LEASE_MS',
  'read-mode': 'RAFTKV_READ_MODE',
  'snapshot-every': 'RAFTKV_SNAPSHOT_EVERY',
  'request-timeout-ms': 'RAFTKV_REQUEST_TIMEOUT_MS',
  'lazy-flush-ms': 'RAFTKV_LAZY_FLUSH_MS',
  'max-batch': 'RAFTKV_MAX_BATCH',
  bugs: 'RAFTKV_BUGS',
};

/** Merges `--flag value` / `--flag=value` arguments over the environment. */
export function settingsFrom(argv: string[], env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const v of Object.values(FLAGS)) out[v] = env[v];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument "${a}"`);
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    const envName = FLAGS[name];
    if (!envName) throw new ConfigError(`unknown flag --${name}; known: ${Object.keys(FLAGS).map((f) => `--${f}`).join(' ')}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`--${name} needs a value`);
    out[envName] = value;
  }
  return out;
}

function int(s: Record<string, string | undefined>, name: string, dflt: number, min = 0): number {
  const raw = s[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function parsePeers(raw: string | undefined): ServerConfig['peers'] {
  if (!raw) throw new ConfigError('RAFTKV_PEERS is required, e.g. RAFTKV_PEERS=n1=n1:7000,n2=n2:7000,n3=n3:7000');
  const peers = new Map<NodeId, { host: string; port: number }>();
  for (const item of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=]+)=(.+):(\d+)$/.exec(item);
    if (!m) throw new ConfigError(`RAFTKV_PEERS entry "${item}" is not id=host:port`);
    if (peers.has(m[1])) throw new ConfigError(`RAFTKV_PEERS names ${m[1]} twice`);
    peers.set(m[1], { host: m[2], port: Number(m[3]) });
  }
  return peers;
}

export function parseConfig(s: Record<string, string | undefined>): ServerConfig {
  const id = s.RAFTKV_ID;
  if (!id) throw new ConfigError('RAFTKV_ID is required (this node\'s name, e.g. n1)');
  const peers = parsePeers(s.RAFTKV_PEERS);
  if (!peers.has(id)) throw new ConfigError(`RAFTKV_ID ${id} is not listed in RAFTKV_PEERS (${[...peers.keys()].join(', ')})`);
  const election = s.RAFTKV_ELECTION_MS ?? '300-600';
  const em = /^(\d+)-(\d+)$/.exec(election);
  if (!em || Number(em[1]) <= 0 || Number(em[2]) <= Number(em[1])) {
    throw new ConfigError(`RAFTKV_ELECTION_MS must be "min-max" with 0 < min < max, got "${election}"`);
  }
  const electionMinMs = Number(em[1]);
  const heartbeatMs = int(s, 'RAFTKV_HEARTBEAT_MS', 50, 1);
  if (heartbeatMs * 2 > electionMinMs) throw new ConfigError('RAFTKV_HEARTBEAT_MS must be at most half the minimum election timeout');
  const leaseMs = int(s, 'RAFTKV_LEASE_MS', Math.floor(electionMinMs * 0.8), 1);
  const readMode = (s.RAFTKV_READ_MODE ?? 'readindex') as ServerConfig['readMode'];
  if (readMode !== 'readindex' && readMode !== 'lease') throw new ConfigError(`RAFTKV_READ_MODE must be readindex or lease, got "${readMode}"`);
  if (readMode === 'lease' && leaseMs >= electionMinMs) throw new ConfigError('RAFTKV_LEASE_MS must be below the minimum election timeout');
  let bugs: Bugs;
  try {
    bugs = parseBugs(s.RAFTKV_BUGS);
  } catch (e) {
    if (e instanceof UnknownBugError) throw new ConfigError(e.message);
    throw e;
  }
  return {
    id,
    peers,
    port: int(s, 'RAFTKV_PORT', 8000),
    peerPort: int(s, 'RAFTKV_PEER_PORT', peers.get(id)!.port),
    bindHost: s.RAFTKV_BIND ?? '0.0.0.0',
    dataDir: s.RAFTKV_DATA ?? '/data',
    electionMinMs,
    electionMaxMs: Number(em[2]),
    heartbeatMs,
    leaseMs,
    readMode,
    snapshotEvery: int(s, 'RAFTKV_SNAPSHOT_EVERY', 10_000, 1),
    requestTimeoutMs: int(s, 'RAFTKV_REQUEST_TIMEOUT_MS', 2000, 1),
    lazyFlushMs: int(s, 'RAFTKV_LAZY_FLUSH_MS', 1000, 1),
    maxBatch: int(s, 'RAFTKV_MAX_BATCH', DEFAULT_RAFT_CONFIG.maxBatch, 1),
    bugs,
  };
}
