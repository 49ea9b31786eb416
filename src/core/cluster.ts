/**
 * What targets, faults and the run may do to a running cluster. Implemented with dockerode in
 * src/runtime. Every call has a timeout. The controller connects only through 127.0.0.1 ports; bridge IPs
 * appear only inside nodes (in iptables rules, see `peerAddress`).
 */
import type { Endpoint } from './client.js';
import type { Target } from './target.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Cluster {
  runId: string;
  target: Target;
  /** n1..nN */
  nodes: string[];
  /** 127.0.0.1 + the published client port of `node`. */
  endpoint(node: string): Endpoint;
  /** SIGKILL the node's process (container stays, data volume survives). */
  kill(node: string): Promise<void>;
  start(node: string): Promise<void>;
  pause(node: string): Promise<void>;
  unpause(node: string): Promise<void>;
  /** Send a signal to the node's main process (SIGSTOP/SIGCONT for process-visible pauses). */
  signal(node: string, signal: string): Promise<void>;
  exec(node: string, cmd: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Run iptables in the node's network namespace (no root needed on the host). Throws on non-zero exit. */
  iptables(node: string, args: string[]): Promise<void>;
  /** The node's address as other nodes see it (its hostname on the cluster network). */
  peerHost(node: string): string;
  /**
   * The node's IP on the cluster network, read from the engine (no DNS inside the node), for use in
   * iptables rules inside other nodes. May change when the node restarts; the next call reports it.
   */
  peerAddress(node: string): Promise<string>;
  /**
   * Makes the iptables chain `chain` in the node hold exactly `rules` (each the arguments after
   * `-A <chain>`), creating it and its jump from INPUT when missing; `rules` = [] flushes it. One exec,
   * all rules at once, so a partition lands on a node in one step. Throws on failure.
   */
  setChainRules(node: string, chain: string, rules: string[][]): Promise<void>;
  /** Write a file inside the node (used for the libfaketime timestamp file). */
  writeFile(node: string, path: string, content: string): Promise<void>;
  /** Whether the node's container is running / paused right now. */
  state(node: string): Promise<'running' | 'paused' | 'exited' | 'missing'>;
  /** Path of the file the node's logs stream into. */
  logPath(node: string): string;
  /**
   * Runs `cmd` in a short-lived helper container that mounts the node's data volume at the node's dataDir
   * (the node must be stopped). Used by disk faults.
   */
  dataVolume?(node: string, cmd: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Remove containers, volumes and the network. Idempotent; always safe to call. */
  destroy(): Promise<void>;
}
