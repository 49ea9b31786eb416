/**
 * One call from "a target and a node count" to "a ready cluster": builds the image if missing, launches
 * the nodes, waits for the target's readiness. On any failure (or Ctrl-C meanwhile) everything of the run
 * is removed and a UsageError carries the cause plus the last lines of each node's log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RawOptions as TargetOptions } from '../core/options.js';
import { imageOf, parsedOptions, waitReady, type AnyTarget } from './target-shape.js';
import { checkRunId, nodeNames } from './cluster-options.js';
import { DockerCluster } from './docker-cluster.js';
import { assertDockerReachable } from './docker-client.js';
import { buildEnv, ensureBaseImage, ensureImage, type BuildEnv } from './images/image-builder.js';
import { newRunId } from './labels.js';
import { onShutdown } from './shutdown.js';
import { listClusters } from './clusters.js';
import { runObjectsExist, sweepRun } from './sweep.js';

export interface CreateClusterOptions {
  target: AnyTarget;
  nodes: number;
  runId?: string;
  logDir: string;
  targetOptions?: TargetOptions;
  readyTimeoutMs?: number;
  /** Recorded as a label: who made the cluster ("cluster-up", "run", "test"). */
  origin?: string;
  /** The target file's absolute path when the target came from a file: `cluster status` loads it from there. */
  targetSource?: string;
  /** Progress lines (image builds, launch). */
  log?: (line: string) => void;
  build?: Partial<BuildEnv>;
  /** The run has clock faults: preload libfaketime into the nodes (never otherwise). */
  clockFaults?: boolean;
}

/** The last `lines` lines of a file, or "" when it does not exist. */
export function tailFile(path: string, lines = 15): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function nodeLogTails(logDir: string, nodes: string[]): string {
  return nodes
    .map((n) => {
      const tail = tailFile(join(logDir, `${n}.log`), 8);
      return tail ? `--- ${n} (last lines) ---\n${tail}` : `--- ${n}: no log output ---`;
    })
    .join('\n');
}

export async function createCluster(opts: CreateClusterOptions): Promise<DockerCluster> {
  const nodes = nodeNames(opts.nodes);
  const runId = checkRunId(opts.runId ?? newRunId());
  const targetOptions = opts.targetOptions ?? {};
  const options = parsedOptions(opts.target, targetOptions);
  const log = opts.log ?? (() => {});
  await assertDockerReachable();
  if ((await listClusters()).some((c) => c.runId === runId) || (await runObjectsExist(runId))) {
    throw new UsageError(`run id ${runId} is already in use by Docker objects`, `choose another run id, or remove it: faultline cluster down --run-id ${runId}`);
  }

  const abort = new AbortController();
  let launched: DockerCluster | undefined;
  let work: Promise<DockerCluster> | undefined;
  const unregister = onShutdown(async () => {
    abort.abort();
    await work?.catch(() => undefined);
    await sweepRun(runId);
  });
  const aborted = new Promise<never>((_, reject) => {
    abort.signal.addEventListener('abort', () => reject(new UsageError('interrupted while starting the cluster')), { once: true });
  });
  aborted.catch(() => undefined);

  work = (async () => {
    const env = buildEnv({ log, ...opts.build });
    // A target that declares clock faults cannot reach it (a Go binary) gets no preload and no probe.
    const clockFaults = opts.clockFaults === true && opts.target.capabilities.clock;
    const image = await Promise.race([ensureImage(await imageOf(opts.target), env), aborted]);
    // The base image doubles as the tools image of the nodes' sidecars.
    const toolsImage = await Promise.race([ensureBaseImage({ ...env, force: false }), aborted]);
    log(`starting ${nodes.length} ${opts.target.name} nodes (run ${runId})`);
    const launch = DockerCluster.launch(
      { runId, target: opts.target, nodes, image, toolsImage, logDir: opts.logDir, options, origin: opts.origin ?? 'run', targetSource: opts.targetSource, clockFaults },
      abort.signal,
    );
    try {
      launched = await Promise.race([launch, aborted]);
      await Promise.race([waitReady(opts.target, launched, opts.readyTimeoutMs ?? 60_000, options), aborted]);
      return launched;
    } catch (err) {
      // An interrupted launch may still be creating objects: let it stop before sweeping the run.
      launched ??= await launch.catch(() => undefined);
      await launched?.detachLogs().catch(() => undefined);
      await sweepRun(runId).catch(() => undefined);
      if (abort.signal.aborted) throw new UsageError(`interrupted; cluster ${runId} removed`);
      if (err instanceof UsageError) throw err;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new UsageError(
        `${opts.target.name} cluster failed to start: ${why}\n${nodeLogTails(opts.logDir, nodes)}`,
        `read the node logs in ${opts.logDir}; \`faultline doctor\` checks the setup`,
      );
    }
  })();
  try {
    return await work;
  } finally {
    unregister();
  }
}
