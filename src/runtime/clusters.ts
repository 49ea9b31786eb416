/** Finding the clusters that exist right now (by label), for `cluster status|down` and `doctor`. */
import { docker, withTimeout } from './docker-client.js';
import { LABEL } from './labels.js';

export interface ClusterSummary {
  runId: string;
  target: string;
  /** The target file's absolute path, when the cluster was made from a target file. */
  targetSource?: string;
  origin: string;
  nodes: { node: string; state: string; container: string }[];
}

export async function listClusters(): Promise<ClusterSummary[]> {
  const filters = JSON.stringify({ label: [LABEL.root] });
  const containers = await withTimeout(docker().listContainers({ all: true, filters }), 15_000, 'list containers');
  const byRun = new Map<string, ClusterSummary>();
  for (const c of containers) {
    const runId = c.Labels[LABEL.run];
    if (!runId || c.Labels[LABEL.sidecar]) continue;
    const summary = byRun.get(runId) ?? { runId, target: c.Labels[LABEL.target] ?? '?', targetSource: c.Labels[LABEL.targetSource], origin: c.Labels[LABEL.origin] ?? '?', nodes: [] };
    summary.nodes.push({ node: c.Labels[LABEL.node] ?? '?', state: c.State, container: (c.Names[0] ?? c.Id).replace(/^\//, '') });
    byRun.set(runId, summary);
  }
  for (const s of byRun.values()) s.nodes.sort((a, b) => a.node.localeCompare(b.node, 'en', { numeric: true }));
  return [...byRun.values()].sort((a, b) => a.runId.localeCompare(b.runId));
}
