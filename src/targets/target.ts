/**
 * The seam between Faultline and a database under test. Adding a database is one new file implementing
 * `Target` (and its `Client`), registered in `src/targets/registry.ts`.
 * Owned by the foundation (runtime) work; members may be added, none removed without updating users.
 */
import type { Cluster } from '../runtime/types.js';

export interface Endpoint {
  node: string;
  /** Always 127.0.0.1: the controller never uses container bridge IPs. */
  host: string;
  port: number;
}

export { ClientError } from '../core/errors.js';

export type RegisterValue = number | string | null;

export interface ClientCallOptions {
  timeoutMs: number;
}

export interface KvClient {
  /** null when the key is missing. */
  read(key: string, opts: ClientCallOptions): Promise<RegisterValue>;
  write(key: string, value: RegisterValue, opts: ClientCallOptions): Promise<void>;
  /** Resolves when the cas applied; throws ClientError(definite=true) when the current value differs. */
  cas(key: string, from: RegisterValue, to: RegisterValue, opts: ClientCallOptions): Promise<void>;
  /** Optional string append (kv-append / set workloads). */
  append?(key: string, value: string, opts: ClientCallOptions): Promise<void>;
  close(): Promise<void>;
}

export interface TargetCapabilities {
  partition: boolean;
  pause: boolean;
  kill: boolean;
  /** False for binaries that bypass libc time (Go: etcd). Reported as "not affected". */
  clock: boolean;
}

export type TargetOptions = Record<string, string>;

export interface Target {
  name: string;
  description: string;
  /** Port the node serves clients on inside its container; published on 127.0.0.1. */
  clientPort: number;
  capabilities: TargetCapabilities;
  defaultNodes: number;
  /** Image tag to use (content-hashed) and how to build it; see docker/. */
  imageRecipe(): Promise<import('../runtime/types.js').ImageRecipe>;
  /** Per-node container command and environment. `dataDir` is mounted on a volume that survives restarts. */
  nodeSpec(node: string, nodes: string[], options: TargetOptions): {
    cmd: string[];
    env: Record<string, string>;
    dataDir: string;
  };
  /** Resolves when the cluster serves requests (every member healthy, a leader known); rejects on timeout. */
  waitReady(cluster: Cluster, timeoutMs: number): Promise<void>;
  /** The node that currently leads, if the target can say. */
  leader(cluster: Cluster): Promise<string | undefined>;
  client(endpoint: Endpoint, options: TargetOptions): KvClient;
  /** Validates --target-opt keys/values; throws a UsageError naming the bad option. */
  validateOptions(options: TargetOptions): void;
}
