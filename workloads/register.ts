/**
 * A single register with read / write / cas, checked with the cas-register model. Every written value
 * (write, and cas's new value) is unique, which the checker's fast path relies on.
 */
import type { Prng } from '../src/generator/prng.js';
import type { CallOptions, ClientWith, RegisterValue } from '../src/core/client.js';
import type { OpStream, PlannedOp, Workload, WorkloadOptions } from './workload.js';

/** The key the register lives under on the server; the history leaves `key` out (one object). */
export const REGISTER_KEY = 'faultline-register';

/** How many recent values a cas may expect: recent ones succeed often enough to be interesting. */
const CAS_CANDIDATES = 5;

/** The op kinds a register (or a kv key) sees; `--ops` narrows them, e.g. to write,cas for a run without reads. */
export const REGISTER_OP_KINDS = ['read', 'write', 'cas'] as const;
export type RegisterOpKind = (typeof REGISTER_OP_KINDS)[number];

/**
 * read/write/cas in equal parts, as Jepsen's cas-register tests do; with `kinds`, equal parts of those
 * only (all three: the same draws as without, so seeds keep their op sequence).
 */
export function registerOps(rng: Prng, key: string | undefined, nextValue: () => number, recent: number[], kinds: readonly RegisterOpKind[] = REGISTER_OP_KINDS): PlannedOp {
  const kind = kinds.length === REGISTER_OP_KINDS.length ? REGISTER_OP_KINDS[rng.int(3)] : kinds[rng.int(kinds.length)];
  if (kind === 'read') return { f: 'read', key, value: null };
  const v = nextValue();
  if (kind === 'write' || recent.length === 0) {
    remember(recent, v);
    return { f: 'write', key, value: v };
  }
  const from = recent[rng.int(recent.length)];
  remember(recent, v);
  return { f: 'cas', key, value: [from, v] };
}

function remember(recent: number[], v: number): void {
  recent.push(v);
  if (recent.length > CAS_CANDIDATES) recent.shift();
}

/** The client register and kv need. */
export type RegisterClient = ClientWith<'read' | 'write' | 'cas'>;

/** Shared by register and kv: turns a planned op into a client call. */
export async function applyRegisterOp(client: RegisterClient, key: string, op: PlannedOp, call: CallOptions): Promise<unknown> {
  switch (op.f) {
    case 'read':
      return client.read(key, call);
    case 'write':
      await client.write(key, op.value as RegisterValue, call);
      return op.value;
    case 'cas': {
      const [from, to] = op.value as [RegisterValue, RegisterValue];
      await client.cas(key, from, to, call);
      return op.value;
    }
    default:
      throw new Error(`register workload cannot apply f=${op.f}`);
  }
}

export const registerWorkload: Workload<RegisterClient> = {
  name: 'register',
  model: 'cas-register',
  description: 'one register, read/write/cas, unique written values',
  verbs: ['read', 'write', 'cas'],
  stream(rng: Prng, options?: WorkloadOptions): OpStream {
    let counter = 0;
    const recent: number[] = [];
    return {
      next: () => registerOps(rng, undefined, () => ++counter, recent, options?.ops),
      finalReads: () => [{ f: 'read', value: null }],
    };
  },
  apply: (client, op, call) => applyRegisterOp(client, REGISTER_KEY, op, call),
};
