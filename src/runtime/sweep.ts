/** Removes Docker objects by label: the only cleanup Faultline needs, so a crash leaves nothing `clean` misses. */
import { docker, dockerStatus, withTimeout } from './docker-client.js';
import { LABEL } from './labels.js';

export interface SweepResult {
  containers: string[];
  volumes: string[];
  networks: string[];
}

function ignoreMissing(err: unknown): void {
  // 404: already gone (another sweep won the race); 409 on a volume: removal already in progress.
  if (dockerStatus(err) === 404 || dockerStatus(err) === 409) return;
  throw err;
}

/**
 * Removes every container, then volume, then network carrying `label` (`key` or `key=value`).
 * Containers go first because volumes and networks in use cannot be removed.
 */
export async function sweep(label: string): Promise<SweepResult> {
  const d = docker();
  const filters = JSON.stringify({ label: [label] });
  const result: SweepResult = { containers: [], volumes: [], networks: [] };
  const containers = await withTimeout(d.listContainers({ all: true, filters }), 15_000, 'list containers');
  await Promise.all(
    containers.map(async (c) => {
      await withTimeout(d.getContainer(c.Id).remove({ force: true, v: true }), 30_000, `remove ${c.Names[0]}`).catch(ignoreMissing);
      result.containers.push((c.Names[0] ?? c.Id).replace(/^\//, ''));
    }),
  );
  const volumes = (await withTimeout(d.listVolumes({ filters }), 15_000, 'list volumes')).Volumes ?? [];
  await Promise.all(
    volumes.map(async (v) => {
      await withTimeout(d.getVolume(v.Name).remove(), 30_000, `remove volume ${v.Name}`).catch(ignoreMissing);
      result.volumes.push(v.Name);
    }),
  );
  const networks = await withTimeout(d.listNetworks({ filters }), 15_000, 'list networks');
  await Promise.all(
    networks.map(async (n) => {
      await withTimeout(d.getNetwork(n.Id).remove(), 30_000, `remove network ${n.Name}`).catch(ignoreMissing);
      result.networks.push(n.Name);
    }),
  );
  for (const list of Object.values(result)) (list as string[]).sort();
  return result;
}

export const sweepRun = (runId: string) => sweep(`${LABEL.run}=${runId}`);
export const sweepAll = () => sweep(LABEL.root);

/** Whether any network or volume of `runId` exists (containers are checked by the caller's listing). */
export async function runObjectsExist(runId: string): Promise<boolean> {
  const filters = JSON.stringify({ label: [`${LABEL.run}=${runId}`] });
  const [networks, volumes] = await Promise.all([
    withTimeout(docker().listNetworks({ filters }), 15_000, 'list networks'),
    withTimeout(docker().listVolumes({ filters }), 15_000, 'list volumes'),
  ]);
  return networks.length > 0 || (volumes.Volumes ?? []).length > 0;
}
