/**
 * Faults on an image that has nothing of Faultline's: no shell, no iptables, no libfaketime. Partitions
 * and loss go through the node's sidecar, the clock through the tools volume.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTarget, HttpClient, pollUntil, UsageError } from '../../index.js';
import { ensureDocker } from '../../../test/integration/docker-setup.js';
import { createCluster } from '../create-cluster.js';
import type { DockerCluster } from '../docker-cluster.js';
import { docker, withTimeout } from '../docker-client.js';
import { ensureBareNodeImage } from '../images/bare-node-image.js';
import { names } from '../labels.js';
import { tarStream } from '../images/tar-pack.js';
import { followProgress } from '../docker-client.js';
import { execIn } from '../exec.js';

const IMAGE = 'faultline/bare-node:test';
/** Serves its wall clock and can ask a peer for its own: enough to see partitions and skew from outside. */
const SERVER = `
const http = require('http');
http.createServer(async (req, res) => {
  const peer = new URL(req.url, 'http://x').searchParams.get('peer');
  if (!peer) return res.end(JSON.stringify({ now: Date.now() }));
  try {
    const r = await fetch('http://' + peer + ':8080/', { signal: AbortSignal.timeout(700) });
    res.end(JSON.stringify({ peer: await r.json() }));
  } catch (e) { res.end(JSON.stringify({ error: String(e && e.name) })); }
}).listen(8080);
`;

const bare = defineTarget({
  name: 'bare-node',
  description: 'a Node server on an image with no shell, iptables or libfaketime',
  capabilities: { partition: true, pause: true, kill: true, clock: true },
  defaultNodes: 2,
  clientPort: 8080,
  image: { name: IMAGE },
  node: () => ({ cmd: ['node', '-e', SERVER], dataDir: '/data' }),
  ready: (cluster, timeoutMs) =>
    pollUntil(async () => {
      for (const n of cluster.nodes) await new HttpClient(cluster.endpoint(n)).get('/', { timeoutMs: 1_000 });
      return true;
    }, { timeoutMs, describe: 'bare nodes answer' }),
  client: () => ({}),
});

const call = (cluster: DockerCluster, node: string, path = '/') => new HttpClient(cluster.endpoint(node)).get(path, { timeoutMs: 3_000 }) as Promise<Record<string, unknown>>;
const sidecarRules = async (runId: string, node: string) => (await execIn(docker().getContainer(names.sidecar(runId, node)), ['iptables', '-S'])).stdout;

describe('faults on an image without iptables or libfaketime', () => {
  const runId = `it-any-${Date.now().toString(36)}`;
  let cluster: DockerCluster;

  beforeAll(async () => {
    await ensureDocker();
    await ensureBareNodeImage(IMAGE);
    cluster = await createCluster({ target: bare, nodes: 2, runId, logDir: mkdtempSync(join(tmpdir(), 'fl-any-')), origin: 'test', clockFaults: true });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('the node image really has no shell', async () => {
    const r = await cluster.exec('n1', ['/bin/sh', '-c', 'true']).catch((e: unknown) => ({ exitCode: -1, stderr: String(e) }));
    expect(r.exitCode).not.toBe(0);
  });

  it('partitions through the sidecar: rules visible there, peers cut, then healed', async () => {
    expect(await call(cluster, 'n2', '/?peer=n1')).toHaveProperty('peer');
    const n2 = await cluster.peerAddress('n2');
    await cluster.setChainRules('n1', 'FAULTLINE-PART', [['-s', n2, '-j', 'DROP']]);
    expect(await sidecarRules(runId, 'n1')).toContain(`-A FAULTLINE-PART -s ${n2}/32 -j DROP`);
    expect(await call(cluster, 'n2', '/?peer=n1')).toEqual({ error: 'TimeoutError' });
    await cluster.setChainRules('n1', 'FAULTLINE-PART', []);
    expect(await call(cluster, 'n2', '/?peer=n1')).toHaveProperty('peer');
  });

  it('packet loss rules (statistic match) are accepted', async () => {
    const n2 = await cluster.peerAddress('n2');
    await cluster.setChainRules('n1', 'FAULTLINE-LOSS', [['-s', n2, '-m', 'statistic', '--mode', 'random', '--probability', '0.2', '-j', 'DROP']]);
    expect(await sidecarRules(runId, 'n1')).toContain('--probability 0.2');
    await cluster.setChainRules('n1', 'FAULTLINE-LOSS', []);
  });

  it('skews Date.now() of the node through the tools volume, atomically replaced', async () => {
    await cluster.writeFile('n1', '/faultline/faketime', '+3600s\n');
    const skew = ((await call(cluster, 'n1')).now as number) - Date.now();
    expect(skew).toBeGreaterThan(3_590_000);
    expect(skew).toBeLessThan(3_610_000);
    await cluster.writeFile('n1', '/faultline/faketime', '+0s\n');
    expect(Math.abs(((await call(cluster, 'n1')).now as number) - Date.now())).toBeLessThan(5_000);
  });

  it('after a kill and restart the sidecar follows the node into its new network namespace', async () => {
    await cluster.kill('n1');
    await expect(cluster.setChainRules('n1', 'FAULTLINE-PART', [])).rejects.toThrow(/not running/);
    await cluster.start('n1');
    const n2 = await cluster.peerAddress('n2');
    await cluster.setChainRules('n1', 'FAULTLINE-PART', [['-s', n2, '-j', 'DROP']]);
    await pollUntil(async () => ((await call(cluster, 'n2', '/?peer=n1')).error === 'TimeoutError' ? true : 'peer still reachable'), { timeoutMs: 10_000, describe: 'partition after restart' });
    await cluster.setChainRules('n1', 'FAULTLINE-PART', []);
  });
});

describe('libfaketime is preloaded only when asked for, and refused where it cannot work', () => {
  it('no LD_PRELOAD without clock faults', async () => {
    const runId = `it-any-noclock-${Date.now().toString(36)}`;
    const cluster = await createCluster({ target: bare, nodes: 1, runId, logDir: mkdtempSync(join(tmpdir(), 'fl-any-')), origin: 'test' });
    try {
      const info = await docker().getContainer(names.container(runId, 'n1')).inspect();
      expect(info.Config.Env.some((e) => e.startsWith('LD_PRELOAD='))).toBe(false);
      expect(info.HostConfig.CapAdd ?? []).not.toContain('NET_ADMIN');
    } finally {
      await cluster.destroy();
    }
  });

  it('a musl image with clock faults is a UsageError naming the image and the fix', async () => {
    const ref = 'faultline/fake-musl:test';
    const stream = await withTimeout(
      docker().importImage(tarStream([{ type: 'file', path: '/lib/ld-musl-x86_64.so.1', content: '' }]), { repo: 'faultline/fake-musl', tag: 'test' } as object),
      60_000,
      'import fake musl',
    );
    await followProgress(stream, () => undefined);
    const musl = defineTarget({ ...bare, name: 'fake-musl', image: { name: ref } });
    const runId = `it-any-musl-${Date.now().toString(36)}`;
    const err = await createCluster({ target: musl, nodes: 1, runId, logDir: mkdtempSync(join(tmpdir(), 'fl-any-')), origin: 'test', clockFaults: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/clock faults cannot work on image faultline\/fake-musl:test: it is a musl image/);
  });
});
