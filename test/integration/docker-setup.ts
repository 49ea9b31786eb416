/** Shared by integration tests: make sure a Docker engine answers (starting one if this host can). */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export async function ensureDocker(): Promise<void> {
  const info = await execa('docker', ['info'], { reject: false, timeout: 20_000 });
  if (info.exitCode === 0) return;
  const script = fileURLToPath(new URL('../../scripts/ensure-docker.sh', import.meta.url));
  await execa('bash', [script], { stdio: 'inherit', timeout: 600_000 });
}

/** Retries `fn` until it stops throwing or `timeoutMs` passes (then rethrows its last error). */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
