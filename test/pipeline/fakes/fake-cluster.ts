/**
 * An in-process Cluster + Target for pipeline tests: no Docker. Every Cluster call is logged so tests can
 * assert what the nemesis did; pause/kill make that node's clients fail (kill: definite, refused;
 * pause: indefinite, as a timeout would be).
 */
import type { Cluster, ExecResult } from '../../../src/runtime/types.js';
import { ClientError, defineTarget, UsageError, z, type Endpoint, type KvClient, type Target, type TargetCapabilities } from '../../../src/index.js';
import type { CreateClusterOptions } from '../../../src/run/adapters.js';
import { DirectKvClient, MemoryKv } from './memory-kv.js';

export interface FakeCall {
  method: string;
  node?: string;
  args?: unknown;
}

export class FakeCluster implements Cluster {
  readonly runId: string;
  readonly nodes: string[];
  readonly calls: FakeCall[] = [];
  readonly states = new Map<string, 'running' | 'paused' | 'exited'>();
  readonly files = new Map<string, string>();
  /** iptables rules per node and chain. */
  readonly chains = new Map<string, Map<string, string[][]>>();
  destroyed = false;

  constructor(readonly target: Target, nodeCount: number, runId = 'fake') {
    this.runId = runId;
    this.nodes = Array.from({ length: nodeCount }, (_, i) => `n${i + 1}`);
    for (const n of this.nodes) {
      this.states.set(n, 'running');
      this.chains.set(n, new Map([['INPUT', []]]));
    }
  }

  private log(method: string, node?: string, args?: unknown) {
    this.calls.push({ method, node, args });
  }

  endpoint(node: string): Endpoint {
    return { node, host: '127.0.0.1', port: 10000 + this.nodes.indexOf(node) };
  }
  async kill(node: string) {
    this.log('kill', node);
    this.states.set(node, 'exited');
  }
  async start(node: string) {
    this.log('start', node);
    if (this.states.get(node) === 'exited') this.resetNetns(node);
    this.states.set(node, 'running');
  }
  async pause(node: string) {
    this.log('pause', node);
    this.states.set(node, 'paused');
  }
  async unpause(node: string) {
    this.log('unpause', node);
    this.states.set(node, 'running');
  }
  async signal(node: string, signal: string) {
    this.log('signal', node, signal);
  }
  async exec(node: string, cmd: string[]): Promise<ExecResult> {
    this.log('exec', node, cmd);
    if (cmd[0] === 'getent') {
      const lines = cmd.slice(2).map((h) => `10.0.0.${this.nodes.indexOf(h) + 2}  ${h}`);
      return { exitCode: 0, stdout: lines.join('\n') + '\n', stderr: '' };
    }
    return { exitCode: 127, stdout: '', stderr: 'not found' };
  }
  /** A tiny iptables: -N, -C, -I, -A, -F on named chains; errors like the real one. */
  async iptables(node: string, args: string[]) {
    this.log('iptables', node, args);
    const chains = this.chains.get(node)!;
    const a = args.filter((x) => x !== '-w');
    const [op, chain, ...rest] = a;
    switch (op) {
      case '-N':
        if (chains.has(chain)) throw new Error(`iptables: Chain already exists.`);
        chains.set(chain, []);
        return;
      case '-C':
        if (!chains.get(chain)?.some((r) => r.join(' ') === rest.join(' '))) throw new Error('iptables: Bad rule');
        return;
      case '-I':
        chains.get(chain)!.unshift(rest.slice(1));
        return;
      case '-A':
        if (!chains.has(chain)) throw new Error(`iptables: No chain/target/match by that name.`);
        chains.get(chain)!.push(rest);
        return;
      case '-F':
        if (!chains.has(chain)) throw new Error(`iptables: No chain/target/match by that name.`);
        chains.set(chain, []);
        return;
      default:
        throw new Error(`fake iptables does not know ${a.join(' ')}`);
    }
  }
  peerHost(node: string) {
    return node;
  }
  /** 10.0.0.<i+2>, like a bridge network; a node that is not running has no address (as in Docker). */
  async peerAddress(node: string) {
    this.log('peerAddress', node);
    if (this.states.get(node) !== 'running') throw new Error(`${node} is not running`);
    return `10.0.0.${this.nodes.indexOf(node) + 2}`;
  }
  /** Same effect as the real one: chain created, INPUT jumps to it once, chain holds exactly `rules`. */
  async setChainRules(node: string, chain: string, rules: string[][]) {
    this.log('setChainRules', node, { chain, rules });
    if (this.states.get(node) !== 'running') throw new Error(`container ${node} is not running`);
    const chains = this.chains.get(node)!;
    if (!chains.has(chain)) chains.set(chain, []);
    const input = chains.get('INPUT')!;
    if (!input.some((r) => r.join(' ') === `-j ${chain}`)) input.unshift(['-j', chain]);
    chains.set(chain, rules.map((r) => [...r]));
  }
  /** A killed container loses its netns: its iptables rules are gone when it starts again. */
  private resetNetns(node: string) {
    this.chains.set(node, new Map([['INPUT', []]]));
  }
  async writeFile(node: string, path: string, content: string) {
    this.log('writeFile', node, { path, content });
    this.files.set(`${node}:${path}`, content);
  }
  async state(node: string) {
    return this.states.get(node) ?? 'missing';
  }
  logPath(node: string) {
    return `/dev/null/${node}.log`;
  }
  async destroy() {
    this.log('destroy');
    this.destroyed = true;
  }
  /** Rules (in `chain`) currently installed on `node`. */
  rules(node: string, chain: string): string[][] {
    return this.chains.get(node)?.get(chain) ?? [];
  }
}

export interface FakeWorld {
  target: Target;
  kv: MemoryKv;
  clusters: FakeCluster[];
  createCluster(options: CreateClusterOptions): Promise<FakeCluster>;
}

/** A fake target over a MemoryKv; `failReady` makes createCluster fail like a cluster that never got ready. */
export function fakeWorld(opts: { mode?: 'linearizable' | 'stale'; failReady?: boolean; capabilities?: Partial<TargetCapabilities>; noAppend?: boolean } = {}): FakeWorld {
  const kv = new MemoryKv(opts.mode ?? 'linearizable');
  const clusters: FakeCluster[] = [];
  const gate = (node: string) => {
    const cluster = clusters[clusters.length - 1];
    const state = cluster?.states.get(node);
    if (state === 'exited') throw new ClientError('connection refused', true, 'ECONNREFUSED');
    if (state === 'paused') throw new ClientError('timed out', false, 'ETIMEDOUT');
  };
  const target = defineTarget({
    name: 'fake',
    description: 'in-process KV',
    options: z.object({ flavour: z.string().optional() }),
    clientPort: 1,
    capabilities: { partition: true, pause: true, kill: true, clock: true, ...opts.capabilities },
    defaultNodes: 3,
    image: { name: 'fake' },
    node: () => ({ cmd: [], dataDir: '/data' }),
    ready: async () => undefined,
    leader: async () => 'n1',
    client(endpoint: Endpoint): KvClient {
      const c = new DirectKvClient(kv, endpoint.node, gate);
      if (opts.noAppend) (c as { append?: unknown }).append = undefined;
      return c;
    },
  });
  return {
    target,
    kv,
    clusters,
    async createCluster(options) {
      if (opts.failReady) {
        throw new UsageError('cluster did not become ready within 1 s; last lines of node logs:\n  n1: panic: boom');
      }
      const cluster = new FakeCluster(options.target, options.nodes, options.runId);
      clusters.push(cluster);
      return cluster;
    },
  };
}
