/** Short-lived containers run to completion (doctor probes, disk-fault helpers). Labelled, so a crash leaves nothing `clean` misses. */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { CALL_TIMEOUT_MS, docker, withTimeout } from './docker-client.js';
import { LABEL, newRunId } from './labels.js';
import type { ExecResult } from './types.js';

/**
 * Creates the container `create` describes, runs it to its end (bounded by `timeoutMs`), collects its
 * stdout and stderr, and removes it whatever happened. `what` names it in timeout errors.
 */
export async function runToCompletion(
  create: Docker.ContainerCreateOptions,
  what: string,
  opts: { timeoutMs?: number; removeVolumes?: boolean } = {},
): Promise<ExecResult> {
  const d = docker();
  const container = await withTimeout(d.createContainer(create), CALL_TIMEOUT_MS, `create ${what}`);
  try {
    await withTimeout(container.start(), CALL_TIMEOUT_MS, `start ${what}`);
    const waited = (await withTimeout(container.wait(), opts.timeoutMs ?? 30_000, `${what} ${(create.Cmd ?? []).join(' ').slice(0, 60)}`)) as { StatusCode: number };
    const raw = (await withTimeout(container.logs({ stdout: true, stderr: true, follow: false }), CALL_TIMEOUT_MS, `${what} logs`)) as unknown as Buffer;
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
    await withTimeout(container.remove({ force: true, v: opts.removeVolumes ?? false }), CALL_TIMEOUT_MS, `remove ${what}`).catch(() => undefined);
  }
}

export async function runOneOff(
  image: string,
  cmd: string[],
  opts: { env?: Record<string, string>; capAdd?: string[]; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const runId = `probe-${newRunId()}`;
  return runToCompletion(
    {
      name: `faultline-${runId}`,
      Image: image,
      Cmd: cmd,
      Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: { [LABEL.root]: '1', [LABEL.run]: runId, [LABEL.origin]: 'probe' },
      HostConfig: { CapAdd: opts.capAdd ?? [], NetworkMode: 'none' },
    },
    `probe container from ${image}`,
    { timeoutMs: opts.timeoutMs, removeVolumes: true },
  );
}
