/** The one place Faultline talks to the Docker engine from: a shared client and timeouts for every call. */
import Docker from 'dockerode';
import { UsageError } from '../core/errors.js';
import { withTimeout as guard } from '../kit/timeout.js';

let client: Docker | undefined;

/** dockerode client for DOCKER_HOST or the default socket. No API version is pinned (newer engines drop old ones). */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export class DockerTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`Docker did not answer within ${ms} ms: ${what}`);
    this.name = 'DockerTimeoutError';
  }
}

/** The kit's withTimeout, failing with a DockerTimeoutError. The timer never keeps Node alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return guard(promise, ms, what, () => new DockerTimeoutError(what, ms));
}

/** Default budget for a single Docker API call (create, start, inspect, remove…). */
export const CALL_TIMEOUT_MS = 30_000;

export const DOCKER_FIX =
  'start a Docker engine (as root on Debian: `bash scripts/ensure-docker.sh`) or point DOCKER_HOST at one';

/** Throws a UsageError naming the fix when no engine answers `ping` within 5 s. */
export async function assertDockerReachable(): Promise<void> {
  try {
    await withTimeout(docker().ping(), 5_000, 'ping');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`Docker is not reachable (${why.split('\n')[0]})`, DOCKER_FIX);
  }
}

/** Docker's HTTP status on an API error (404 = no such object), when there is one. */
export function dockerStatus(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown })?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Reads a progress stream (build/import/pull) to its end; rejects on the first `error` message. */
export function followProgress(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    docker().modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) return; // followProgress reports it through the final callback
        const text = (event.stream ?? event.status ?? '').trimEnd();
        if (text) for (const line of text.split('\n')) onLine(line);
      },
    );
  });
}
