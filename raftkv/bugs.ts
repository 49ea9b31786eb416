/**
 * Every deliberate bug raftkv can switch on, in one place. Each knob re-creates a mistake real Raft systems
 * shipped (see /work/shared/reference/raft-targets.md, "raftkv bug knobs"), so Faultline can prove it catches
 * it. All are off by default; the code that honours a knob is a small branch guarded by `bugs.has(...)`.
 */
export const BUG_KNOBS = {
  'stale-reads': 'any node answers reads from its local state machine, without asking the leader',
  'lease-reads': 'the leader serves reads under a lease measured with Date.now() (wrong under clock skew)',
  'no-fsync': 'acknowledge before the log is durable: writes sit in an in-process buffer flushed on an interval',
  'vote-without-log-check': 'grant (pre-)votes on a higher term without the up-to-date-log check (§5.4.1)',
  'commit-old-term': 'commit previous-term entries by counting replicas (Figure 8); also drops the per-term no-op',
  'no-truncate': 'keep a conflicting log suffix instead of deleting it on AppendEntries',
  'ack-before-commit': 'reply to a write once the leader appended it locally, before it commits',
  'no-dedup': 'ignore client sessions: a retried write applies again',
} as const;

export type BugName = keyof typeof BUG_KNOBS;

export class UnknownBugError extends Error {
  constructor(readonly names: string[]) {
    super(
      `unknown bug knob(s) in RAFTKV_BUGS: ${names.join(', ')}; known: ${Object.keys(BUG_KNOBS).join(', ')}`,
    );
    this.name = 'UnknownBugError';
  }
}

/** The knobs switched on for one node. Immutable. */
export class Bugs {
  private readonly on: ReadonlySet<BugName>;
  constructor(names: Iterable<BugName> = []) {
    this.on = new Set(names);
  }
  has(name: BugName): boolean {
    return this.on.has(name);
  }
  list(): BugName[] {
    return [...this.on].sort();
  }
  static none(): Bugs {
    return new Bugs();
  }
}

/** Parses "stale-reads,no-fsync" (spaces and empty items ignored); throws UnknownBugError on a typo. */
export function parseBugs(spec: string | undefined): Bugs {
  const names = (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(n in BUG_KNOBS));
  if (unknown.length > 0) throw new UnknownBugError(unknown);
  return new Bugs(names as BugName[]);
}
