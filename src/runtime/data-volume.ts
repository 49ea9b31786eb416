/**
 * Disk faults work on a stopped node's data: a short-lived helper container from the tools image (busybox
 * sh, find, dd, od, sha256sum) mounts the node's data volume where the node mounts it, runs one script and
 * is removed. Labelled with the run, so a crash in between leaves nothing `cluster down` or `clean` misses.
 */
import { LABEL } from './labels.js';
import { runToCompletion } from './one-off.js';
import type { ExecResult } from './types.js';

export interface DataVolumeSpec {
  toolsImage: string;
  volume: string;
  /** Where the node mounts the volume (its dataDir): paths in `cmd` read the same as inside the node. */
  mountPath: string;
  labels: Record<string, string>;
  name: string;
}

export function runOnDataVolume(spec: DataVolumeSpec, cmd: string[], timeoutMs = 30_000): Promise<ExecResult> {
  return runToCompletion(
    {
      name: spec.name,
      Image: spec.toolsImage,
      Cmd: cmd,
      Labels: { ...spec.labels, [LABEL.origin]: 'disk-fault' },
      HostConfig: { NetworkMode: 'none', Binds: [`${spec.volume}:${spec.mountPath}`] },
    },
    `disk helper for ${spec.volume}`,
    { timeoutMs },
  );
}
