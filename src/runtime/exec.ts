/**
 * `docker exec` that always finishes: output demultiplexed into stdout/stderr, and the exit code read by
 * polling `exec.inspect()` until Running is false, because the attach stream sometimes never ends and
 * ExitCode can be null just after it closes (dockerode#534, #422).
 */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { docker, DockerTimeoutError, withTimeout } from './docker-client.js';
import type { ExecResult } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function execIn(container: Docker.Container, cmd: string[], timeoutMs = 20_000): Promise<ExecResult> {
  const deadline = Date.now() + timeoutMs;
  const what = `exec ${cmd.join(' ')}`;
  const exec = await withTimeout(
    container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, User: '0' }),
    timeoutMs,
    what,
  );
  const stream = (await withTimeout(exec.start({ hijack: true, stdin: false }), timeoutMs, what)) as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  docker().modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  // The stream ending is only a hint: inspect decides. Give the stream a head start, then poll.
  let headStart: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise<void>((r) => (headStart = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
  clearTimeout(headStart);
  for (;;) {
    const remaining = deadline - Date.now();
    const info = await withTimeout(exec.inspect(), Math.max(1_000, remaining), what);
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) {
      stream.destroy?.();
      await sleep(0); // let demux flush what it already read
      return { exitCode: info.ExitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    }
    if (remaining <= 0) {
      stream.destroy?.();
      throw new DockerTimeoutError(what, timeoutMs);
    }
    await sleep(Math.min(50, remaining));
  }
}
