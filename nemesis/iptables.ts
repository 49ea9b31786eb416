/**
 * iptables helpers shared by the partition and packet-loss faults. Rules live in dedicated chains jumped
 * to from INPUT, so heal flushes only Faultline's rules and never anyone else's. Always `-w`.
 */
import { withTimeout } from '../src/generator/timeout.js';
import type { NemesisContext } from './fault.js';

export const PARTITION_CHAIN = 'FAULTLINE-PART';
export const LOSS_CHAIN = 'FAULTLINE-LOSS';

/** Creates `chain` in `node` if missing and makes sure INPUT jumps to it. */
export async function ensureChain(ctx: NemesisContext, node: string, chain: string): Promise<void> {
  const ipt = (args: string[]) => withTimeout(ctx.cluster.iptables(node, ['-w', ...args]), ctx.callTimeoutMs, `iptables on ${node}`);
  try {
    await ipt(['-N', chain]);
  } catch {
    // Already exists (from an earlier fault in this run): fine.
  }
  try {
    await ipt(['-C', 'INPUT', '-j', chain]);
  } catch {
    await ipt(['-I', 'INPUT', '1', '-j', chain]);
  }
}

export async function appendRule(ctx: NemesisContext, node: string, chain: string, rule: string[]): Promise<void> {
  await withTimeout(ctx.cluster.iptables(node, ['-w', '-A', chain, ...rule]), ctx.callTimeoutMs, `iptables on ${node}`);
}

/** Flushes `chain`; a missing chain means there is nothing to heal, which is not an error. */
export async function flushChain(ctx: NemesisContext, node: string, chain: string): Promise<void> {
  try {
    await withTimeout(ctx.cluster.iptables(node, ['-w', '-F', chain]), ctx.callTimeoutMs, `iptables on ${node}`);
  } catch (err) {
    if (/no chain|does not exist|No such file/i.test(String(err))) return;
    throw err;
  }
}

/**
 * The addresses `node` should filter for `peers`. Resolved inside the node (`getent hosts`) because the
 * node's own resolver knows the cluster network's names; when the image has no getent (or exec fails) the
 * peer's hostname is passed to `-s` and iptables resolves it where it runs.
 */
export async function peerAddresses(ctx: NemesisContext, node: string, peers: readonly string[]): Promise<Record<string, string>> {
  const hosts = peers.map((p) => ctx.cluster.peerHost(p));
  const out: Record<string, string> = Object.fromEntries(peers.map((p, i) => [p, hosts[i]]));
  if (peers.length === 0) return out;
  try {
    const res = await withTimeout(ctx.cluster.exec(node, ['getent', 'hosts', ...hosts], { timeoutMs: ctx.callTimeoutMs }), ctx.callTimeoutMs + 500, `getent on ${node}`);
    if (res.exitCode !== 0 && res.stdout.trim() === '') return out;
    for (const line of res.stdout.split('\n')) {
      const [ip, ...names] = line.trim().split(/\s+/);
      if (!ip || !/^[0-9a-f.:]+$/i.test(ip)) continue;
      peers.forEach((p, i) => {
        if (names.includes(hosts[i])) out[p] = ip;
      });
    }
  } catch {
    // Fall back to hostnames.
  }
  return out;
}
