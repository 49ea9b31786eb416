/**
 * The seams between the run pipeline and the parts other engineers own. The checker and the target
 * registry are imported directly; the Docker runtime and the report renderer are loaded on demand, so a
 * build without them (or a report that fails to load) does not break `faultline run` at import time.
 */
import { checkHistory, getModel } from '../../checker/index.js';
import type { CheckOptions, CheckResult, Model } from '../../checker/types.js';
import { UsageError } from '../core/errors.js';
import type { HistoryOp } from '../history/types.js';
import type { Cluster } from '../runtime/types.js';
import { loadTarget } from '../targets/registry.js';
import type { RawOptions as TargetOptions } from '../core/options.js';
import type { Target } from '../core/target.js';
import type { Provenance } from './provenance.js';

export interface CreateClusterOptions {
  target: Target;
  nodes: number;
  runId?: string;
  logDir: string;
  targetOptions: TargetOptions;
  readyTimeoutMs: number;
  /** Label recorded on the containers (the runtime's sweep uses it). */
  origin?: string;
  /** The target file's absolute path when `--target` named a file (a label: `cluster status` loads it again). */
  targetSource?: string;
  /** Progress lines from the runtime (image builds, launch). */
  log?: (line: string) => void;
  /** The run has clock faults: the runtime preloads libfaketime into the nodes (only then). */
  clockFaults?: boolean;
}

/** Everything `executeRun` needs from outside the pipeline; tests pass in-process fakes. */
export interface RunDeps {
  /** A built-in target name or the path of a target file (`--target`). */
  getTarget(spec: string): Target | Promise<Target>;
  createCluster(options: CreateClusterOptions): Promise<Cluster>;
  getModel(name: string): Model;
  checkHistory(history: HistoryOp[], model: Model, opts: CheckOptions): Promise<CheckResult>;
  /** Undefined when no report renderer is available. */
  renderRunReport?(runDir: string): Promise<unknown>;
  /** Rewrites <store>/index.html (the list of stored runs) after a run. */
  renderStoreIndex?(storeDir: string): Promise<unknown>;
  /** Image tags, ids and digests of the cluster's nodes, and the engine version (recorded in test.json). */
  provenance?(cluster: Cluster): Promise<Provenance>;
}

// Specifiers in variables: TypeScript then does not require the modules to exist at build time.
const RUNTIME_MODULES = ['../runtime/index.js', '../runtime/create-cluster.js'];
const REPORT_MODULES = ['../../reports/index.js', '../../reports/render-run-report.js'];

async function loadCreateCluster(): Promise<RunDeps['createCluster']> {
  const problems: string[] = [];
  for (const spec of RUNTIME_MODULES) {
    try {
      const mod = (await import(spec)) as { createCluster?: RunDeps['createCluster'] };
      if (typeof mod.createCluster === 'function') return mod.createCluster;
      problems.push(`${spec} has no createCluster`);
    } catch (err) {
      problems.push(`${spec}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new UsageError(`the Docker runtime could not be loaded (${problems.join('; ')})`);
}

async function loadReportRenderer(): Promise<RunDeps['renderRunReport']> {
  for (const spec of REPORT_MODULES) {
    try {
      const mod = (await import(spec)) as { renderRunReport?: (dir: string) => Promise<unknown> };
      if (typeof mod.renderRunReport === 'function') return mod.renderRunReport;
    } catch {
      // Try the next place; no renderer at all just means no report.html.
    }
  }
  return undefined;
}

/** The real dependencies, for the CLI. */
export async function productionDeps(): Promise<RunDeps> {
  return {
    getTarget: loadTarget,
    createCluster: async (options) => (await loadCreateCluster())(options),
    getModel: (name) => getModel(name),
    checkHistory,
    renderRunReport: await loadReportRenderer(),
    renderStoreIndex: async (storeDir) => (await import('../../reports/render-store-index.js')).renderStoreIndex(storeDir),
    provenance: async (cluster) => (await import('./provenance.js')).clusterProvenance(cluster.runId),
  };
}
