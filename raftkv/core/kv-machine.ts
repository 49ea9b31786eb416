import type { Bugs } from '../bugs.js';
import { jsonEqual } from './json-equal.js';
import type { Command, Json, Outcome, SnapshotData } from './types.js';

/**
 * The replicated state machine: a JSON key-value map plus the client session table (dissertation §6.3).
 * A write carrying (client, seq) that was already applied returns the stored outcome instead of applying
 * again, so a retried request takes effect exactly once.
 */
export class KvMachine {
  private kv = new Map<string, Json>();
  private sessions = new Map<string, { seq: number; outcome: Outcome }>();

  constructor(private readonly bugs: Bugs) {}

  get(key: string): Json {
    return this.kv.has(key) ? (this.kv.get(key) as Json) : null;
  }

  apply(cmd: Command): Outcome {
    if (cmd.type === 'noop') return { kind: 'ok' };
    const session = cmd.client !== undefined && cmd.seq !== undefined;
    // Bug knob no-dedup: skip the session check, so a re-proposed write applies a second time.
    if (session && !this.bugs.has('no-dedup')) {
      const last = this.sessions.get(cmd.client!);
      if (last && cmd.seq! <= last.seq) {
        // An older seq than the last applied one can only be a stale duplicate; its answer is gone.
        return cmd.seq === last.seq ? last.outcome : { kind: 'unknown', reason: 'stale session sequence' };
      }
    }
    const outcome = this.execute(cmd);
    if (session) this.sessions.set(cmd.client!, { seq: cmd.seq!, outcome });
    return outcome;
  }

  /** What `cmd` would return against the current state, without applying it (ack-before-commit knob). */
  preview(cmd: Command): Outcome {
    if (cmd.type === 'noop') return { kind: 'ok' };
    const cur = this.get(cmd.key);
    if (cmd.type === 'append') return { kind: 'ok', value: (typeof cur === 'string' ? cur : '') + cmd.value };
    if (cmd.type === 'cas' && !jsonEqual(cur, cmd.from)) return { kind: 'cas-mismatch', current: cur };
    return { kind: 'ok' };
  }

  private execute(cmd: Exclude<Command, { type: 'noop' }>): Outcome {
    const cur = this.get(cmd.key);
    switch (cmd.type) {
      case 'put':
        this.kv.set(cmd.key, cmd.value);
        return { kind: 'ok' };
      case 'cas':
        if (!jsonEqual(cur, cmd.from)) return { kind: 'cas-mismatch', current: cur };
        this.kv.set(cmd.key, cmd.to);
        return { kind: 'ok' };
      case 'append': {
        if (cur !== null && typeof cur !== 'string') return { kind: 'not-a-string', current: cur };
        const next = (cur ?? '') + cmd.value;
        this.kv.set(cmd.key, next);
        return { kind: 'ok', value: next };
      }
    }
  }

  snapshot(): SnapshotData {
    return {
      kv: Object.fromEntries(this.kv),
      sessions: Object.fromEntries([...this.sessions].map(([k, v]) => [k, { ...v }])),
    };
  }

  restore(data: SnapshotData): void {
    this.kv = new Map(Object.entries(data.kv));
    this.sessions = new Map(Object.entries(data.sessions).map(([k, v]) => [k, { ...v }]));
  }
}
