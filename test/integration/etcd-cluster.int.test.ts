import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../src/runtime/create-cluster.js';
import type { DockerCluster } from '../../src/runtime/docker-cluster.js';
import { docker } from '../../src/runtime/docker-client.js';
import { LABEL } from '../../src/runtime/labels.js';
import { ClientError, UsageError, type KvClient, type Target } from '../../src/index.js';
import { etcdTarget } from '../../targets/etcd/target.js';
import { ensureDocker, eventually } from './docker-setup.js';

const opts = { timeoutMs: 3_000 };

async function labelled(runId: string) {
  const filters = JSON.stringify({ label: [`${LABEL.run}=${runId}`] });
  const d = docker();
  const [containers, networks, volumes] = await Promise.all([
    d.listContainers({ all: true, filters }),
    d.listNetworks({ filters }),
    d.listVolumes({ filters }),
  ]);
  return { containers: containers.length, networks: networks.length, volumes: volumes.Volumes?.length ?? 0 };
}


async function classified(p: Promise<unknown>): Promise<ClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  return err as ClientError;
}

describe('etcd on Docker', () => {
  const runId = `it-${Date.now().toString(36)}`;
  const logDir = mkdtempSync(join(tmpdir(), 'faultline-it-'));
  let cluster: DockerCluster;
  // A fresh client per call: a restarted node may be published on another host port.
  const client = (node: string, options: Record<string, string> = {}): KvClient =>
    etcdTarget.client(cluster.endpoint(node), etcdTarget.parseOptions(options));

  beforeAll(async () => {
    await ensureDocker();
    // etcd itself ignores libfaketime (clock: false); declared clock-capable here so the image gets the
    // preload and the faketime test below can watch Node (present in the image) inside a node.
    const target = { ...etcdTarget, capabilities: { ...etcdTarget.capabilities, clock: true } };
    cluster = await createCluster({ target, nodes: 3, runId, logDir, origin: 'test', readyTimeoutMs: 60_000, clockFaults: true });
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('publishes every node on 127.0.0.1 and knows the leader', async () => {
    expect(cluster.nodes).toEqual(['n1', 'n2', 'n3']);
    for (const node of cluster.nodes) {
      expect(cluster.endpoint(node).host).toBe('127.0.0.1');
      expect(cluster.endpoint(node).port).toBeGreaterThan(0);
      expect(await cluster.state(node)).toBe('running');
    }
    expect(cluster.nodes).toContain(await etcdTarget.leader!(cluster));
  });

  it('reads back through n2 a value written through n1', async () => {
    await client('n1').write('k1', 42, opts);
    expect(await client('n2').read('k1', opts)).toBe(42);
    expect(await client('n3').read('missing', opts)).toBeNull();
  });

  it('applies a matching cas and refuses a mismatching one definitely', async () => {
    await client('n1').write('c', 1, opts);
    await client('n2').cas('c', 1, 2, opts);
    expect(await client('n3').read('c', opts)).toBe(2);
    const err = await classified(client('n1').cas('c', 1, 3, opts));
    expect(err.definite).toBe(true);
    expect(err.code).toBe('cas-mismatch');
    expect(await client('n1').read('c', opts)).toBe(2);
    await client('n1').cas('fresh', null, 'a', opts);
    expect(await client('n2').read('fresh', opts)).toBe('a');
  });

  it('streams node logs into <logDir>/<node>.log', () => {
    expect(readFileSync(cluster.logPath('n1'), 'utf8')).toMatch(/starting an etcd server/);
  });

  it('keeps data across kill and start', async () => {
    await client('n1').write('durable', 'yes', opts);
    await eventually(async () => expect(await client('n3', { read: 'serializable' }).read('durable', opts)).toBe('yes'));
    await cluster.kill('n3');
    expect(await cluster.state('n3')).toBe('exited');
    const refused = await classified(client('n3').read('durable', { timeoutMs: 1_000 }));
    expect(refused.definite).toBe(true); // nothing listens on the port: never sent
    await cluster.start('n3');
    expect(await cluster.state('n3')).toBe('running');
    await eventually(async () => expect(await client('n3', { read: 'serializable' }).read('durable', opts)).toBe('yes'));
    expect(readFileSync(cluster.logPath('n3'), 'utf8').match(/starting an etcd server/g)?.length).toBe(2);
  });

  it('pauses and unpauses a node', async () => {
    await cluster.pause('n2');
    expect(await cluster.state('n2')).toBe('paused');
    const err = await classified(client('n2').read('k1', { timeoutMs: 800 }));
    expect(err.definite).toBe(false);
    await cluster.unpause('n2');
    expect(await cluster.state('n2')).toBe('running');
    await eventually(async () => expect(await client('n2').read('k1', opts)).toBe(42));
  });

  it('an isolated node cannot serve a linearizable read (indeterminate), then heals', async () => {
    for (const peer of ['n1', 'n2']) await cluster.iptables('n3', ['-A', 'FAULTLINE', '-s', cluster.peerHost(peer), '-j', 'DROP']);
    const err = await classified(client('n3').read('k1', { timeoutMs: 1_500 }));
    expect(err.definite).toBe(false);
    expect(err.code).toBe('timeout');
    // a serializable read is local and still answers: the cut is between peers, not to the controller
    expect(await client('n3', { read: 'serializable' }).read('k1', opts)).toBe(42);
    await cluster.iptables('n3', ['-F', 'FAULTLINE']);
    await eventually(async () => expect(await client('n3').read('k1', opts)).toBe(42));
  });

  it('moves Date.now() but not performance.now() when the faketime file changes', async () => {
    const script = [
      "const fs=require('fs');",
      'const d0=Date.now(),p0=performance.now();',
      "while(!fs.readFileSync('/faultline/faketime','utf8').includes('+10s')){if(performance.now()-p0>8000)break;}",
      'console.log(JSON.stringify({date:Date.now()-d0,perf:performance.now()-p0}));',
    ].join('');
    const running = cluster.exec('n1', ['node', '-e', script], { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 500));
    await cluster.writeFile('n1', '/faultline/faketime', '+10s\n');
    const result = await running;
    expect(result.exitCode).toBe(0);
    const { date, perf } = JSON.parse(result.stdout) as { date: number; perf: number };
    expect(perf).toBeLessThan(8_000);
    expect(date - perf).toBeGreaterThan(9_000);
    await cluster.writeFile('n1', '/faultline/faketime', '+0\n');
  });

  it('destroy leaves nothing labelled with the run', async () => {
    await cluster.destroy();
    expect(await labelled(runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    await cluster.destroy(); // idempotent
  });
});

describe('createCluster failure', () => {
  it('tears down and reports the node logs when the cluster is not ready in time', async () => {
    await ensureDocker();
    const runId = `it-fail-${Date.now().toString(36)}`;
    const logDir = mkdtempSync(join(tmpdir(), 'faultline-it-'));
    // A 1-node etcd can be healthy within a millisecond budget on a warm machine, so readiness is forced to fail.
    const neverReady: Target = {
      ...etcdTarget,
      ready: async (_cluster, timeoutMs) => {
        throw new Error(`etcd not ready after ${timeoutMs} ms (the test's readiness never comes)`);
      },
    };
    const err = await createCluster({ target: neverReady, nodes: 1, runId, logDir, origin: 'test', readyTimeoutMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/etcd cluster failed to start: .*not ready/);
    expect((err as Error).message).toMatch(/--- n1/);
    expect(await labelled(runId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
