/**
 * Disk faults work on a stopped node's data: a short-lived helper container from the tools image (busybox
 * sh, find, dd, od, sha256sum) mounts the node's data volume where the node mounts it, runs one script and
 * is removed. Labelled with the run, so a crash in between leaves nothing `cluster down` or `clean` misses.
 */
import { PassThrough } from 'node:stream';
import { CALL_TIMEOUT_MS, docker, withTimeout } from './docker-client.js';
import { LABEL } from './labels.js';
import type { ExecResult } from './types.js';

export interface DataVolumeSpec {
  toolsImage: string;
  volume: string;
  /** Where the node mounts the volume (its dataDir): paths in `cmd` read the same as inside the node. */
  mountPath: string;
  labels: Record<string, string>;
  name: string;
}

export async function runOnDataVolume(spec: DataVolumeSpec, cmd: string[], timeoutMs = 30_000): Promise<ExecResult> {
  const d = docker();
  const container = await withTimeout(
    d.createContainer({
      name: spec.name,
      Image: spec.toolsImage,
      Cmd: cmd,
      Labels: { ...spec.labels, [LABEL.origin]: 'disk-fault' },
      HostConfig: { NetworkMode: 'none', Binds: [`${spec.volume}:${spec.mountPath}`] },
    }),
    CALL_TIMEOUT_MS,
    `create disk helper for ${spec.volume}`,
  );
  try {
    await withTimeout(container.start(), CALL_TIMEOUT_MS, 'start disk helper');
    const waited = (await withTimeout(container.wait(), timeoutMs, `disk helper ${cmd.join(' ').slice(0, 60)}`)) as { StatusCode: number };
    const raw = (await withTimeout(container.logs({ stdout: true, stderr: true, follow: false }), CALL_TIMEOUT_MS, 'disk helper logs')) as unknown as Buffer;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
    const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
    const source = new PassThrough();
    d.modem.demuxStream(source, stdout, stderr);
    source.end(raw);
    await new Promise((r) => setImmediate(r));
    return { exitCode: waited.StatusCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  } finally {
    await withTimeout(container.remove({ force: true }), CALL_TIMEOUT_MS, 'remove disk helper').catch(() => undefined);
  }
}
