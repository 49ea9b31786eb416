/** Runs a short-lived container to completion (doctor probes). Labelled, so a crash leaves nothing `clean` misses. */
import { PassThrough } from 'node:stream';
import { CALL_TIMEOUT_MS, docker, withTimeout } from './docker-client.js';
import { LABEL, newRunId } from './labels.js';
import type { ExecResult } from './types.js';

export async function runOneOff(
  image: string,
  cmd: string[],
  opts: { env?: Record<string, string>; capAdd?: string[]; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const d = docker();
  const runId = `probe-${newRunId()}`;
  const container = await withTimeout(
    d.createContainer({
      name: `faultline-${runId}`,
      Image: image,
      Cmd: cmd,
      Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Labels: { [LABEL.root]: '1', [LABEL.run]: runId, [LABEL.origin]: 'probe' },
      HostConfig: { CapAdd: opts.capAdd ?? [], NetworkMode: 'none' },
    }),
    CALL_TIMEOUT_MS,
    `create probe container from ${image}`,
  );
  try {
    await withTimeout(container.start(), CALL_TIMEOUT_MS, 'start probe');
    const waited = (await withTimeout(container.wait(), opts.timeoutMs ?? 30_000, `probe ${cmd.join(' ')}`)) as { StatusCode: number };
    const raw = (await withTimeout(container.logs({ stdout: true, stderr: true, follow: false }), CALL_TIMEOUT_MS, 'probe logs')) as unknown as Buffer;
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
    await withTimeout(container.remove({ force: true, v: true }), CALL_TIMEOUT_MS, 'remove probe').catch(() => undefined);
  }
}
