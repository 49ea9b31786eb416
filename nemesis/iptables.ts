/**
 * iptables helpers shared by the partition and packet-loss faults. Rules live in dedicated chains jumped
 * to from INPUT, so heal flushes only Faultline's rules and never anyone else's.
 *
 * Speed and determinism: peers are named by their IP on the cluster network, read once per apply from the
 * Docker engine (never resolved by DNS inside a node, which made one partition take 40 s on busybox
 * images), and each node gets all of its rules in ONE exec; nodes are handled in parallel.
 */
import { withTimeout } from '../src/generator/timeout.js';
import type { NemesisContext } from './fault.js';
import { forEachNode } from './fault.js';

export const PARTITION_CHAIN = 'FAULTLINE-PART';
export const LOSS_CHAIN = 'FAULTLINE-LOSS';

/**
 * The cluster-network IPs of `nodes`, looked up in parallel. A node without an address right now (killed,
 * being restarted) is left out and named in `missing`: rules cannot name it, and its own netns is fresh.
 */
export async function nodeAddresses(ctx: NemesisContext, nodes: readonly string[]): Promise<{ addresses: Record<string, string>; missing: Record<string, string> }> {
  const addresses: Record<string, string> = {};
  const { errors } = await forEachNode(nodes, async (node) => {
    addresses[node] = await withTimeout(ctx.cluster.peerAddress(node), ctx.callTimeoutMs, `address of ${node}`);
  });
  return { addresses, missing: errors };
}

/**
 * Makes `chain` on each node of `rulesByNode` hold exactly its rules: one exec per node, all nodes at
 * once. Per-node failures are collected, not thrown, so one broken node does not hide what the others did.
 */
export function setChainOnNodes(
  ctx: NemesisContext,
  chain: string,
  rulesByNode: Record<string, string[][]>,
): Promise<{ done: string[]; errors: Record<string, string> }> {
  return forEachNode(Object.keys(rulesByNode), (node) =>
    withTimeout(ctx.cluster.setChainRules(node, chain, rulesByNode[node]), ctx.callTimeoutMs, `iptables on ${node}`),
  );
}

/** Empties `chain` on every node (heal). */
export function flushChainEverywhere(ctx: NemesisContext, chain: string): Promise<{ done: string[]; errors: Record<string, string> }> {
  return setChainOnNodes(ctx, chain, Object.fromEntries(ctx.cluster.nodes.map((n) => [n, []])));
}

/**
 * Builds each node's rules from the peers it must filter; peers with no known address are skipped. A node
 * with an empty grudge gets an empty rule list, so its chain is flushed too: a partition installed over
 * another one (lagging-star, figure8) must not leave the previous rules on the nodes it frees.
 */
export function rulesFromGrudge(
  grudge: Record<string, readonly string[]>,
  addresses: Record<string, string>,
  rule: (address: string) => string[],
): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const [node, peers] of Object.entries(grudge)) {
    out[node] = peers.filter((p) => addresses[p] !== undefined).map((p) => rule(addresses[p]));
  }
  return out;
}

export const dropFrom = (address: string): string[] => ['-s', address, '-j', 'DROP'];

/**
 * Rules that refuse client connections to `port` from outside the node (clients reach nodes through the
 * host's published ports); the node's own loopback and its peers' port stay open.
 */
export function refuseClientRules(port: number): string[][] {
  return [
    ['-i', 'lo', '-j', 'RETURN'],
    ['-p', 'tcp', '--dport', String(port), '-j', 'REJECT', '--reject-with', 'tcp-reset'],
  ];
}
