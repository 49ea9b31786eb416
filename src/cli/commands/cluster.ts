import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { listClusters } from '../../runtime/clusters.js';
import { createCluster } from '../../runtime/create-cluster.js';
import { DockerCluster } from '../../runtime/docker-cluster.js';
import { assertDockerReachable } from '../../runtime/docker-client.js';
import { checkRunId, parseTargetOptions } from '../../runtime/cluster-options.js';
import { newRunId } from '../../runtime/labels.js';
import { sweepRun } from '../../runtime/sweep.js';
import { loadTarget, targetChoices, targetFileOf } from '../../targets/registry.js';
import { DEFAULTS, LIMITS } from '../../run/defaults.js';
import { UsageError } from '../errors.js';

const CLUSTER_UP_HELP = `Defaults and limits are run's (src/run/defaults.ts): target ${DEFAULTS.target}, ready timeout ${DEFAULTS.readyTimeout} s, ${LIMITS.nodes.min}..${LIMITS.nodes.max} nodes. Exit codes: 0 ready, 3 it could not be done (bad input, Docker unreachable, not ready in time).`;

interface UpArgs {
  target: string;
  nodes?: number;
  'run-id'?: string;
  'log-dir'?: string;
  'target-opt'?: string[];
  'ready-timeout': number;
  'base-image'?: string;
}

const ORIGIN = 'cluster-up';

const up: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start a cluster and leave it running (until `faultline cluster down`)',
  builder: (y) =>
    y
      .option('target', { type: 'string', default: DEFAULTS.target, describe: `database: ${targetChoices()}` })
      .option('nodes', { type: 'number', describe: `node count, ${LIMITS.nodes.min}..${LIMITS.nodes.max} (default: the target's)` })
      .option('run-id', { type: 'string', describe: 'name for this cluster (default: time-based)' })
      .option('log-dir', { type: 'string', describe: 'where node logs go while `up` runs (default store/clusters/<run-id>/node-logs)' })
      .option('target-opt', { type: 'string', array: true, describe: 'target option key=value, repeatable (etcd: read=serializable); checked against the target\'s options' })
      .option('ready-timeout', { type: 'number', default: DEFAULTS.readyTimeout, describe: 'seconds to wait for the cluster to be ready' })
      .option('base-image', { type: 'string', describe: 'build images FROM this registry image instead of the offline base, e.g. node:22-bookworm-slim' })
      .epilogue(CLUSTER_UP_HELP) as never,
  handler: async (args) => {
    const started = Date.now();
    const target = await loadTarget(args.target);
    const runId = checkRunId(args['run-id'] ?? newRunId());
    const logDir = args['log-dir'] ?? join('store', 'clusters', runId, 'node-logs');
    const cluster = await createCluster({
      target,
      nodes: args.nodes ?? target.defaultNodes,
      runId,
      logDir,
      targetOptions: parseTargetOptions(args['target-opt']),
      readyTimeoutMs: args['ready-timeout'] * 1000,
      origin: ORIGIN,
      targetSource: targetFileOf(args.target),
      log: (line) => console.log(line),
      build: { baseImage: args['base-image'] },
    });
    await cluster.detachLogs(); // the containers stay; `docker logs` keeps their output
    const leader = await target.leader?.(cluster);
    console.log(`cluster ${runId} (${target.name}, ${cluster.nodes.length} nodes) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const node of cluster.nodes) {
      const e = cluster.endpoint(node);
      console.log(`  ${node}  http://${e.host}:${e.port}${node === leader ? '  (leader)' : ''}`);
    }
    console.log(`stop it with: faultline cluster down --run-id ${runId}`);
  },
};

const status: CommandModule<object, { 'run-id'?: string }> = {
  command: 'status',
  describe: 'Show running clusters: nodes, state, endpoints, roles',
  builder: (y) => y.option('run-id', { type: 'string', describe: 'only this cluster' }) as never,
  handler: async (args) => {
    await assertDockerReachable();
    const clusters = (await listClusters()).filter((c) => !args['run-id'] || c.runId === args['run-id']);
    if (clusters.length === 0) {
      console.log(args['run-id'] ? `no cluster with run id ${args['run-id']}` : 'no faultline clusters');
      return;
    }
    for (const summary of clusters) {
      console.log(`cluster ${summary.runId} (${summary.target}, started by ${summary.origin})`);
      const target = await loadTarget(summary.targetSource ?? summary.target).catch(() => undefined);
      if (!target) {
        // The target's code is gone (a file moved or deleted since): its client port, and so the endpoints, are unknown.
        const from = summary.targetSource ? ` (target file ${summary.targetSource} could not be loaded)` : '';
        for (const n of summary.nodes) console.log(`  ${n.node.padEnd(4)} ${n.state}${from}`);
        continue;
      }
      const cluster = await DockerCluster.attach(summary.runId, () => target);
      const leader = await cluster.target.leader?.(cluster).catch(() => undefined);
      for (const n of summary.nodes) {
        const port = cluster.endpoint(n.node).port;
        const role = n.state !== 'running' ? '' : n.node === leader ? 'leader' : leader ? 'follower' : 'unknown';
        console.log(`  ${n.node.padEnd(4)} ${n.state.padEnd(8)} ${port ? `http://${cluster.endpoint(n.node).host}:${port}` : '-'.padEnd(22)}  ${role}`);
      }
    }
  },
};

const down: CommandModule<object, { 'run-id'?: string }> = {
  command: 'down',
  describe: 'Remove a cluster (default: every cluster started by `cluster up`)',
  builder: (y) => y.option('run-id', { type: 'string', describe: 'the cluster to remove' }) as never,
  handler: async (args) => {
    await assertDockerReachable();
    const all = await listClusters();
    const chosen = args['run-id'] ? all.filter((c) => c.runId === args['run-id']) : all.filter((c) => c.origin === ORIGIN);
    if (args['run-id'] && chosen.length === 0) {
      // Nothing with containers, but a half-made run may have left a network or volumes: sweep anyway.
      const swept = await sweepRun(checkRunId(args['run-id']));
      const count = swept.containers.length + swept.networks.length + swept.volumes.length;
      if (count === 0) throw new UsageError(`no cluster with run id ${args['run-id']}`, 'see `faultline cluster status`');
    }
    if (chosen.length === 0 && !args['run-id']) console.log('no clusters started by `faultline cluster up`');
    for (const c of chosen) {
      const swept = await sweepRun(c.runId);
      console.log(`removed cluster ${c.runId}: ${swept.containers.length} containers, ${swept.volumes.length} volumes, ${swept.networks.length} network(s)`);
    }
  },
};

export const clusterCommand: CommandModule = {
  command: 'cluster <action>',
  describe: 'Start, inspect or remove a standalone cluster (up | status | down)',
  builder: (y) => y.command(up as never).command(status as never).command(down as never).demandCommand(1, 'Name an action: up, status or down.'),
  handler: () => {
    throw new UsageError('name an action: `faultline cluster up|status|down`');
  },
};
