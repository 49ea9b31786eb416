/**
 * What a target's client is: an object with one method per verb (read, write, cas, append, or any other
 * verb a workload asks for). A workload names the verbs it needs; a run refuses, before starting
 * anything, a target whose client lacks one.
 */

/** Where a client connects: always 127.0.0.1 and the node's published client port. */
export interface Endpoint {
  node: string;
  host: string;
  port: number;
}

/** A register's value as workloads write it; null is "missing". */
export type RegisterValue = number | string | null;

export interface CallOptions {
  /** The client must settle within this many milliseconds (give it to the HTTP call). */
  timeoutMs: number;
}

/** The verbs the built-in workloads use. Every one is optional on a client; workloads say which they need. */
export interface KvVerbs {
  /** The key's value; null when the key is missing. */
  read(key: string, opts: CallOptions): Promise<RegisterValue>;
  write(key: string, value: RegisterValue, opts: CallOptions): Promise<void>;
  /** Resolves when the cas applied; throws ClientError(definite = true) when the current value differs. */
  cas(key: string, from: RegisterValue, to: RegisterValue, opts: CallOptions): Promise<void>;
  /** Appends `value` to the string at `key` (set / kv-append workloads). */
  append(key: string, value: string, opts: CallOptions): Promise<unknown>;
}

/** A client: any of the verbs above, any other verb as a method of the same name, and an optional close. */
export interface Client extends Partial<KvVerbs> {
  close?(): Promise<void>;
}

/** A client known to have the verbs `V` (what a workload's `apply` receives). */
export type ClientWith<V extends keyof KvVerbs> = Client & Pick<KvVerbs, V>;

/** A client with read, write and cas (append optional): the register and kv workloads' client. */
export type KvClient = ClientWith<'read' | 'write' | 'cas'> & { close(): Promise<void> };

/** The verbs in `verbs` that `client` has no method for. */
export function missingVerbs(client: object, verbs: readonly string[]): string[] {
  return verbs.filter((verb) => typeof (client as Record<string, unknown>)[verb] !== 'function');
}
