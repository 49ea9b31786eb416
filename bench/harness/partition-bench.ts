/**
 * How long the partition nemesis takes to apply and to heal a partition on a real cluster: starts an
 * N-node raftkv cluster, then for each topology applies a partition and heals it `rounds` times through
 * the same code the run uses (partitionFault + NemesisSchedule's context), timing each step.
 * Also checks the rules really cut the network: with n1 isolated, n1 cannot reach n2's HTTP port.
 *
 *   npx tsx bench/harness/partition-bench.ts [nodes=5] [rounds=5]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../src/generator/prng.js';
import { createCluster } from '../../src/runtime/create-cluster.js';
import { raftkvTarget } from '../../targets/raftkv/target.js';
import type { NemesisContext } from '../../nemesis/fault.js';
import { partitionFault } from '../../nemesis/partition.js';
import { partitionKinds } from '../../nemesis/topology.js';

const nodes = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 5);

const cluster = await createCluster({ target: raftkvTarget, nodes, logDir: mkdtempSync(join(tmpdir(), 'faultline-pbench-')), origin: 'test', readyTimeoutMs: 60_000 });
try {
  const ctx: NemesisContext = { cluster, target: raftkvTarget, rng: new Prng(1), callTimeoutMs: 10_000 };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows: string[] = [];
  for (const kind of partitionKinds) {
    const fault = partitionFault([kind]);
    const apply: number[] = [];
    const heal: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      const started = await fault.start(ctx);
      apply.push(performance.now() - t);
      if (started.errors) throw new Error(`apply ${kind}: ${JSON.stringify(started.errors)}`);
      t = performance.now();
      const healed = await fault.heal(ctx);
      heal.push(performance.now() - t);
      if (healed.errors) throw new Error(`heal ${kind}: ${JSON.stringify(healed.errors)}`);
    }
    rows.push(`${kind.padEnd(16)} apply median ${median(apply).toFixed(0)} ms (max ${Math.max(...apply).toFixed(0)})  heal median ${median(heal).toFixed(0)} ms (max ${Math.max(...heal).toFixed(0)})`);
  }
  // The rules must actually cut traffic: isolate n1 and ask n2's HTTP port from inside n1 (node's fetch;
  // the image's busybox wget is not usable).
  const url = `http://${await cluster.peerAddress('n2')}:8000/status`;
  const script = `fetch('${url}', { signal: AbortSignal.timeout(2000) }).then(() => console.log('reachable'), () => console.log('cut'))`;
  const probe = async () => (await cluster.exec('n1', ['node', '-e', script])).stdout.trim();
  const before = await probe();
  const iso = partitionFault(['isolate-one']);
  let isolatedN1 = false;
  for (let seed = 0; !isolatedN1 && seed < 50; seed++) {
    const r = await iso.start({ ...ctx, rng: new Prng(seed) });
    isolatedN1 = JSON.stringify((r as { groups?: string[][] }).groups?.[0]) === '["n1"]';
    if (!isolatedN1) await iso.heal(ctx);
  }
  const during = await probe();
  await iso.heal(ctx);
  const after = await probe();
  console.log(`partition on ${nodes} raftkv nodes, ${rounds} rounds per topology:`);
  for (const r of rows) console.log('  ' + r);
  console.log(`  n1 -> n2:8000 before: ${before}; n1 isolated: ${during}; healed: ${after}`);
} finally {
  await cluster.destroy();
}
