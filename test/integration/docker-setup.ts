/** Shared by integration tests: make sure a Docker engine answers (starting one if this host can). */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export async function ensureDocker(): Promise<void> {
  const info = await execa('docker', ['info'], { reject: false, timeout: 20_000 });
  if (info.exitCode === 0) return;
  const script = fileURLToPath(new URL('../../scripts/ensure-docker.sh', import.meta.url));
  await execa('bash', [script], { stdio: 'inherit', timeout: 600_000 });
}
