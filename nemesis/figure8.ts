/**
 * The Raft paper's Figure 8, scripted against a live 5-node cluster with partitions and by refusing
 * client connections at chosen nodes (so which leader receives writes, and when, is under control):
 *
 *  a. The leader A and one follower B are cut off from C, D, E (who are cut off from each other too):
 *     A keeps leading for an election timeout and appends writes X that cannot commit.
 *  b. Clients are refused everywhere. C, D, E reunite and elect one of them (E) at a higher term; then
 *     they split again and only their clients are let in, so E alone appends writes Y at X's indices;
 *     once E is known, only E's clients (b3). Clients are let in only where a write must land: a node's
 *     proxy retries a request it took until the request's time is up, and hands it to whoever leads.
 *  c. Clients refused again. A, B and one of C, D, E reunite: a node without Y votes for A (or B), whose
 *     X now sits on a majority. Correct Raft never commits X by counting replicas (it needs an entry of
 *     its own term on top, which no client can send it now); the commit-old-term knob commits and
 *     applies X, with no no-op of its own.
 *  d. A and B are cut off again: C, D, E elect E, whose log (Y, a later term) is more up to date, and E
 *     overwrites X — entries the old-term rule had already committed and applied. When E is known, C and
 *     D are connected to E only (a star), so C, whose log is longer, cannot be elected by D instead.
 *  e. Everyone reunites under E with every client let in: reads (served by the leader) show Y. The
 *     nodes that applied X never apply Y: their state machines differ from E's.
 *  f. Only A, B and the node chosen in (c) can form a majority, and only their clients are let in: the
 *     next leader is one of the nodes that applied X, and reads through it miss what E's reads showed.
 *     Without this step the divergence shows only when a node that applied X happens to lead again.
 *
 * Which of C, D, E won in (b) is asked in (b2), when only their client ports are open (asked again while
 * nobody answers: on a busy machine the election may still be running), and step (c) takes one of the
 * other two (picking E itself would let E win, and nothing would happen); when the lookup does not
 * answer, one of the three at random. Correct Raft stays safe under every step: the script is only
 * partitions and refused clients.
 * Step lengths follow the target's election timeout (`electionMaxMs`).
 */
import { sleep } from '../src/generator/sleep.js';
import { z } from 'zod';
import type { Fault, FaultDescription, FaultResult, NemesisContext } from './fault.js';
import { leaderOf, opsOf, withErrors } from './fault.js';
import { dropFrom, nodeAddresses, PARTITION_CHAIN, refuseClientRules, rulesFromGrudge, setChainOnNodes } from './iptables.js';
import { healPartitions } from './partition.js';
import { split, star, type Partition } from './topology.js';

/** How often (b2) asks who leads the rest before giving up (each ask waits for the status calls). */
const LEADER_LOOKUPS = 3;

export interface Figure8Options {
  /** The target's maximum election timeout: every step waits a few of these. */
  electionMaxMs: number;
}

export function figure8Fault(options: Figure8Options = { electionMaxMs: 600 }): Fault {
  let current: { step: string; rules: Record<string, string[][]> } | undefined;
  /** Aborted by heal: the script stops at once, mid-step included. */
  let cancel = new AbortController();

  const heal = async (ctx: NemesisContext): Promise<FaultResult> => {
    cancel.abort();
    current = undefined;
    return healPartitions(ctx);
  };

  return {
    name: 'figure8',
    async start(ctx, plan) {
      cancel = new AbortController();
      const { signal } = cancel;
      const nodes = ctx.cluster.nodes;
      if (nodes.length !== 5) return { skipped: `scripted for 5 nodes, the cluster has ${nodes.length}` };
      const began = Date.now();
      let a: string, b: string, others: string[];
      let chosen: string | undefined;
      /** Who the rest elected in (b), seen while its clients are let in (b2); undefined when unknown. */
      let restLeader: string | undefined;
      if (plan) ({ oldLeader: a, partner: b, rest: others, chosen, restLeader } = figure8PlanSchema.parse(plan));
      else {
        const leader = await leaderOf(ctx);
        a = leader && nodes.includes(leader) ? leader : ctx.rng.pick(nodes);
        [b, ...others] = ctx.rng.shuffle(nodes.filter((n) => n !== a));
      }
      const { addresses, missing } = await nodeAddresses(ctx, nodes);
      const errors: Record<string, string> = { ...missing };
      const steps: FaultResult[] = [];
      const refuse = refuseClientRules(ctx.target.clientPort);
      const t = options.electionMaxMs;
      // Partition and client refusal share one chain, so each step is one atomic rule swap per node.
      const phase = async (step: string, shape: string[][] | Partition, openClients: string[], waitMs: number, during?: () => Promise<void>) => {
        if (signal.aborted) return false;
        const partition = Array.isArray(shape) ? split(nodes, shape) : shape;
        const rules = rulesFromGrudge(partition.grudge, addresses, dropFrom);
        for (const n of nodes) if (!openClients.includes(n)) rules[n] = [...(rules[n] ?? []), ...refuse];
        current = { step, rules };
        Object.assign(errors, (await setChainOnNodes(ctx, PARTITION_CHAIN, rules)).errors);
        steps.push({ step, atMs: Date.now() - began, ...(partition.groups ? { groups: partition.groups } : { grudge: partition.grudge }), clientsTo: openClients });
        await Promise.all([sleep(waitMs, signal), during?.()]);
        return !signal.aborted;
      };
      /** E, once the lookup in (b2) found it among the rest (a replayed plan brings it). */
      const knownE = () => (restLeader !== undefined && others.includes(restLeader) ? restLeader : undefined);
      const stepD = () => {
        const e = knownE();
        // With E known, a star centred on it (A and B cut off) lets only E win: C, whose X is longer than
        // E's Y, could otherwise be elected by D and keep X, and nothing would be overwritten.
        return e !== undefined && e !== chosen
          ? phase(`d: ${e} re-elected at the centre of a star, no clients`, star(nodes, e, [a, b]), [], 3 * t)
          : phase('d: rest re-elects, no clients', [[a, b], others], [], 3 * t);
      };
      const completed =
        // Only A's and B's clients in (a): a request taken by C, D or E now would still be retried by that
        // node's proxy when E wins in (b1), and E would commit it on C and D, whose logs would then beat X.
        (await phase('a: old leader + 1 cut off, writes X', [[a, b], ...others.map((n) => [n])], [a, b], t)) &&
        (await phase('b1: rest elects, no clients', [[a, b], others], [], 2 * t + 300)) &&
        (await phase('b2: rest split, its clients write Y', [[a, b], ...others.map((n) => [n])], others, t, async () => {
          // Only the rest's client ports are open now, so the leader lookup reaches exactly them.
          for (let tries = 0; !chosen && !restLeader && tries < LEADER_LOOKUPS && !signal.aborted; tries++) restLeader = await leaderOf(ctx);
        })) &&
        // Then E's clients alone, for a step longer than a request's life: what C and D took in (b2) has
        // expired before (c), where their proxies would hand it to A, an entry of A's own term.
        (knownE() === undefined || (await phase(`b3: only ${knownE()}'s clients write Y`, [[a, b], ...others.map((n) => [n])], [knownE()!], t))) &&
        (await phase(`c: ${a}, ${b} + ${(chosen ??= pickChosen(ctx, others, knownE()))} elect, no clients`, [[a, b, chosen]], [], 3 * t)) &&
        (await stepD()) &&
        (await phase("e: all reunited under the rest's leader, clients everywhere", [[...nodes]], [...nodes], 2 * t)) &&
        (await phase(`f: ${a}, ${b}, ${chosen} elect among themselves, their clients read`, [[a, b, chosen!], ...others.filter((n) => n !== chosen).map((n) => [n])], [a, b, chosen!], 3 * t + 300));
      // Also clears rules a step may have installed after a concurrent heal's flush.
      const healed = await heal(ctx);
      chosen ??= pickChosen(ctx, others, knownE());
      const decided = { oldLeader: a, partner: b, rest: others, chosen, ...(restLeader ? { restLeader } : {}) };
      return withErrors({ ...decided, completed, steps, healedAtMs: Date.now() - began, healed: healed.healed, plan: decided }, errors);
    },
    // start() heals at its end; stop only matters when a run ends in the middle of the script.
    stop: heal,
    heal,
    async afterRestart(ctx, nodes) {
      if (!current) return undefined;
      const { errors } = await setChainOnNodes(ctx, PARTITION_CHAIN, current.rules);
      return withErrors({ step: current.step, restarted: nodes }, errors);
    },
    active: () => (current ? `figure 8, step ${current.step}` : undefined),
  };
}

export const figure8PlanSchema = z.object({ oldLeader: z.string(), partner: z.string(), rest: z.array(z.string()).length(3, 'must name 3 nodes'), chosen: z.string(), restLeader: z.string().optional() });

export const figure8Description: FaultDescription = {
  name: 'figure8',
  summary: "the Raft paper's Figure 8 scripted with partitions and refused client connections (5 nodes)",
  family: 'figure8',
  capability: 'partition',
  ops: opsOf('figure8'),
  color: '#a0508c',
  healOrder: 20,
  planSchema: figure8PlanSchema,
  create: () => figure8Fault(),
};

/**
 * The node of the rest that joins the old leader in (c): one without Y, i.e. not the rest's leader E
 * (picking E lets E win, and nothing happens). `restLeader`: E when known, one of `rest`.
 */
function pickChosen(ctx: NemesisContext, rest: string[], restLeader: string | undefined): string {
  return ctx.rng.pick(restLeader !== undefined ? rest.filter((n) => n !== restLeader) : rest);
}
