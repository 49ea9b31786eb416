/** Labels every Faultline object carries; `faultline clean` and teardown find objects by them alone. */
export const LABEL = {
  /** Present (value "1") on every container, network and volume Faultline creates. */
  root: 'faultline',
  run: 'faultline.run',
  node: 'faultline.node',
  /** On a node's tools sidecar (value: the node's name); sidecars carry no `node` label. */
  sidecar: 'faultline.sidecar',
  target: 'faultline.target',
  /** Where the target was loaded from when it is a file (its absolute path): `cluster status` loads it again. */
  targetSource: 'faultline.target-source',
  /** Who created the run: "cluster-up" for `faultline cluster up`, "run", "test"… */
  origin: 'faultline.origin',
} as const;

export function runLabels(runId: string, target: string, origin: string, targetSource?: string): Record<string, string> {
  return { [LABEL.root]: '1', [LABEL.run]: runId, [LABEL.target]: target, [LABEL.origin]: origin, ...(targetSource ? { [LABEL.targetSource]: targetSource } : {}) };
}

/** Names of the Docker objects of a run: predictable so a human can `docker logs` them. */
export const names = {
  network: (runId: string) => `faultline-${runId}`,
  container: (runId: string, node: string) => `faultline-${runId}-${node}`,
  volume: (runId: string, node: string) => `faultline-${runId}-${node}-data`,
  sidecar: (runId: string, node: string) => `faultline-${runId}-${node}-tools`,
  toolsVolume: (runId: string, node: string) => `faultline-${runId}-${node}-tools`,
};

/** A short, sortable, unique-enough run id: time + random suffix. Valid in Docker object names. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Run ids are embedded in Docker names: keep them to Docker's allowed characters. */
export function isValidRunId(runId: string): boolean {
  return /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/.test(runId);
}

/**
 * The run id of a `faultline run`: its test name, made safe for Docker names (a default name such as
 * "raftkv-set-partition+kill" has a "+", and long names pass Docker's 63 characters), then its unique
 * store stamp, which is always kept whole.
 */
export function runIdFor(testName: string, stamp: string): string {
  const room = Math.max(1, 63 - stamp.length - 1);
  const safe = testName.replace(/[^a-zA-Z0-9_.-]/g, '_').replace(/^[^a-zA-Z0-9]+/, '').slice(0, room);
  return `${safe || 'run'}-${stamp}`;
}
