/**
 * The lifecycle of one run: validate -> store dir + test.json -> cluster -> drive (clients + nemesis)
 * -> heal -> quiet period -> final reads -> teardown -> check -> results.json, junit.xml, report -> exit
 * code. Heal and teardown always run, also after SIGINT/SIGTERM or an error, and whatever was recorded is
 * kept on disk.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UsageError } from '../core/errors.js';
import type { CheckResult } from '../../checker/types.js';
import { mergeVerdicts } from '../../checker/index.js';
import { runClientWorkers } from '../generator/client-workers.js';
import { runFinalReads } from '../generator/final-reads.js';
import { Prng } from '../generator/prng.js';
import { RateLimiter } from '../generator/rate-limiter.js';
import { sleep } from '../generator/sleep.js';
import { withTimeout } from '../generator/timeout.js';
import { HistoryRecorder } from '../history/recorder.js';
import { runIdFor } from '../runtime/labels.js';
import { targetFileOf } from '../targets/registry.js';
import type { Cluster } from '../runtime/types.js';
import type { RunInfo, RunResults } from '../store/run-files.js';
import type { Target } from '../core/target.js';
import { missingVerbs } from '../core/client.js';
import { createFault, describeFault, NemesisSchedule, unaffectedFaults } from '../../nemesis/index.js';
import { checkScheduleNodes, readSchedule, SCHEDULE_FILE, scheduleFile, type ScheduleFile } from '../../nemesis/schedule-file.js';
import type { ScheduledFault } from '../../nemesis/schedule.js';
import { getWorkload } from '../../workloads/index.js';
import type { Workload } from '../../workloads/workload.js';
import type { RunDeps } from './adapters.js';
import { defaultRunName, reproduceCommand, type RunConfig } from './config.js';
import { detectedCi, type CiEnvironment } from './ci.js';
import { compareWithBaseline } from './compare.js';
import { junitXml, type AttachmentPaths } from './junit.js';
import { ProgressReporter, type ProgressSink } from './progress.js';
import { HISTORY_SCHEMA_VERSION, RESULTS_JSON_SCHEMA_VERSION, TEST_JSON_SCHEMA_VERSION } from './schemas.js';
import { completionStats, latencyStats } from './stats.js';
import { createRunDir, writeResultsJson, writeTestJson } from './store.js';
import { formatSummary, runJsonLine } from './summary.js';
import { faultlineVersion } from './version.js';

export interface RunIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
  env?: NodeJS.ProcessEnv;
  /** Install SIGINT/SIGTERM handlers (the CLI does; tests drive `interrupt` instead). */
  handleSignals?: boolean;
  /** Aborting this is what a signal does: stop, heal, tear down, keep the history. */
  interrupt?: AbortSignal;
  /** Record ops in memory for checking (default true). The harness bench turns it off. */
  keepHistoryInMemory?: boolean;
  /** Skip the checker (the harness bench measures driving and recording only). */
  skipCheck?: boolean;
  /**
   * text (default): the seed line and the summary on stdout, diagnostics and progress on stderr;
   * json: one JSON object on stdout at the end, nothing else there; quiet: the summary only, no progress.
   */
  output?: 'text' | 'json' | 'quiet';
  /** Paths in junit.xml's attachments: absolute (Jenkins) or relative to the project dir (GitLab). */
  junitAttachments?: AttachmentPaths;
  /** "previous" (the last finished run of the same test) or a run directory to compare the result with. */
  compare?: string;
  /** The CI system, when there is one (default: detected with ci-info). */
  ci?: CiEnvironment;
}

export interface RunOutcome {
  exitCode: number;
  runDir: string;
  info: RunInfo;
  results: RunResults;
}

/** Timeouts for Docker-level calls made by the nemesis: one call, one whole start/stop. */
const NEMESIS_CALL_TIMEOUT_MS = 10_000;
/** Also the most a fault op still running at the end of the main phase can delay heal. */
const NEMESIS_OP_TIMEOUT_MS = 30_000;
const TEARDOWN_TIMEOUT_MS = 120_000;
const FINAL_READ_ATTEMPTS = 3;

interface Validated {
  target: Target;
  /** The target's options, parsed and validated. */
  targetOptions: Record<string, unknown>;
  workload: Workload;
  faults: ScheduledFault[];
  /** The schedule replayed (--faults-from), checked against the cluster's nodes. */
  replay?: ScheduleFile;
  model: ReturnType<RunDeps['getModel']>;
}

/** Everything that can be wrong with the input, found before any container starts. */
export async function validateRun(config: RunConfig, deps: RunDeps): Promise<Validated> {
  const target = await deps.getTarget(config.target);
  const targetOptions = target.parseOptions(config.targetOptions);
  const workload = getWorkload(config.workload);
  const faultOptions = {
    lossProbability: config.lossProbability,
    clockMaxOffsetSeconds: config.clockMaxOffset,
    diskFile: config.diskFile,
    diskTruncate: config.diskTruncate,
    diskFlips: config.diskFlips,
  };
  const faults = config.nemesis.map((n) => ({ description: describeFault(n), fault: createFault(n, faultOptions) }));
  const replay = config.faultsFrom ? readSchedule(config.faultsFrom) : undefined;
  if (replay) checkScheduleNodes(replay, Array.from({ length: config.nodes }, (_, i) => `n${i + 1}`), config.faultsFrom!);
  const model = deps.getModel(workload.model);
  // Creating a client does not connect: it only shows which verbs the target's client has.
  const probe = target.client({ node: 'n1', host: '127.0.0.1', port: target.clientPort }, targetOptions);
  void probe.close?.().catch(() => undefined);
  const missing = missingVerbs(probe, workload.verbs);
  if (missing.length > 0) {
    throw new UsageError(
      `workload ${workload.name} needs the client verb(s) ${missing.join(', ')}, which target ${target.name}'s client does not have`,
      `choose a workload whose verbs ${target.name} offers, or add ${missing.map((v) => `${v}()`).join(', ')} to its client`,
    );
  }
  return { target, targetOptions, workload, faults, model, replay };
}

export async function executeRun(config: RunConfig, deps: RunDeps, io: RunIo): Promise<RunOutcome> {
  const { target, targetOptions, workload, faults, model, replay } = await validateRun(config, deps);
  // A target given as a file path is named by its own name in the default test name.
  const name = config.name ?? defaultRunName({ ...config, target: target.name });
  const output = io.output ?? 'text';
  const ci = io.ci ?? detectedCi();
  const startedAt = new Date();
  const paths = createRunDir(config.store, name, startedAt);
  const info: RunInfo = {
    schemaVersion: TEST_JSON_SCHEMA_VERSION,
    historySchemaVersion: HISTORY_SCHEMA_VERSION,
    name,
    startedAt: startedAt.toISOString(),
    command: reproduceCommand(config),
    seed: config.seed,
    config: { ...config },
    model: workload.model,
    versions: { faultline: faultlineVersion(), node: process.version },
    images: {},
    nodes: Array.from({ length: config.nodes }, (_, i) => `n${i + 1}`),
    unaffected: unaffectedFaults(config.nemesis, target.capabilities as unknown as Record<string, boolean>),
    ...(ci.isCI ? { ci: { name: ci.name, isPR: ci.isPR } } : {}),
  };
  writeTestJson(paths.testJson, info, io.stderr);
  // The seed is part of the result (it reproduces the run): stdout, first thing, unless stdout is JSON.
  if (output !== 'json') io.stdout.write(`faultline: seed ${config.seed}; run dir ${paths.dir}\n`);
  if (info.unaffected && info.unaffected.length > 0) {
    io.stderr.write(`faultline: target ${target.name} is not affected by: ${info.unaffected.join(', ')} (recorded as such)\n`);
  }

  const recorder = new HistoryRecorder(paths.historyPath, { keepInMemory: io.keepHistoryInMemory ?? true });
  const interrupt = new AbortController();
  io.interrupt?.addEventListener('abort', () => interrupt.abort(io.interrupt?.reason), { once: true });
  const removeSignals = io.handleSignals ? installSignalHandlers(interrupt, io.stderr) : () => undefined;
  const runStarted = Date.now();
  let phase = 'starting cluster';
  let cluster: Cluster | undefined;
  let schedule: NemesisSchedule | undefined;
  let finalPhaseIndex = 0;
  let runError: string | undefined;
  let thrown: unknown;
  const progress = new ProgressReporter(io.stderr, {
    counts: () => recorder.counts,
    faults: () => schedule?.activeFaults() ?? [],
    phase: () => phase,
  }, { ci: ci.isCI });

  try {
    cluster = await deps.createCluster({
      target,
      nodes: config.nodes,
      runId: runIdFor(name, paths.dir.split(/[\\/]/).pop()!),
      logDir: paths.logDir,
      targetOptions: config.targetOptions,
      readyTimeoutMs: config.readyTimeout * 1000,
      origin: 'run',
      targetSource: targetFileOf(config.target),
      log: (line) => io.stderr.write(`faultline: ${line}\n`),
      // libfaketime is preloaded into the nodes only when a fault of the run needs the clock capability.
      clockFaults: unaffectedFaults(config.nemesis, { clock: false }).length > 0,
    });
    info.nodes = cluster.nodes;
    if (deps.provenance) {
      try {
        const p = await deps.provenance(cluster);
        info.images = p.images;
        if (p.docker) info.versions.docker = p.docker;
      } catch (err) {
        io.stderr.write(`faultline: image ids not recorded: ${(err as Error).message}\n`);
      }
    }
    writeTestJson(paths.testJson, info, io.stderr);

    const rng = new Prng(config.seed);
    const openClient = (node: string) => target.client(cluster!.endpoint(node), targetOptions);
    const addressOf = (node: string) => {
      const e = cluster!.endpoint(node);
      return `${e.host}:${e.port}`;
    };
    schedule = new NemesisSchedule(faults, { cluster, target, rng: rng.fork('nemesis'), callTimeoutMs: NEMESIS_CALL_TIMEOUT_MS }, recorder, {
      intervalMs: config.nemesisInterval * 1000,
      opTimeoutMs: NEMESIS_OP_TIMEOUT_MS,
      mode: config.nemesisMode,
      replay: replay?.entries,
    });
    const stream = workload.stream(rng.fork('ops'), { activeKeys: config.keys, opsPerKey: config.opsPerKey, ops: config.ops });

    phase = 'main';
    // The history's time 0, the progress line's 0 s and the time limit all start here, at the first op.
    recorder.restartClock();
    if (output !== 'quiet') progress.start();
    const mainPhase = new AbortController();
    const stopMain = () => mainPhase.abort();
    const timer = setTimeout(stopMain, config.timeLimit * 1000);
    interrupt.signal.addEventListener('abort', stopMain, { once: true });
    let processes;
    try {
      [processes] = await Promise.all([
        runClientWorkers({
          recorder,
          workload,
          stream,
          nodes: cluster.nodes,
          concurrency: config.concurrency,
          limiter: new RateLimiter(config.rate),
          opTimeoutMs: config.opTimeout,
          openClient,
          addressOf,
          signal: mainPhase.signal,
        }),
        schedule.run(mainPhase.signal),
      ]);
    } finally {
      clearTimeout(timer);
      interrupt.signal.removeEventListener('abort', stopMain);
      phase = 'heal';
      await schedule.heal();
      // What was done and when, plans included: `--faults-from <this run dir>` replays it.
      writeFileSync(join(paths.dir, SCHEDULE_FILE), JSON.stringify(scheduleFile(schedule.mode, cluster.nodes, schedule.applied), null, 2) + '\n');
    }

    if (!interrupt.signal.aborted) {
      phase = 'quiet';
      await sleep(config.quietPeriod * 1000, interrupt.signal);
    }
    if (!interrupt.signal.aborted) {
      phase = 'final reads';
      finalPhaseIndex = recorder.size;
      await runFinalReads({
        recorder,
        workload,
        reads: stream.finalReads(),
        nodes: cluster.nodes,
        firstProcess: processes.maxProcess() + 1,
        opTimeoutMs: config.opTimeout,
        attempts: FINAL_READ_ATTEMPTS,
        openClient,
        signal: interrupt.signal,
      });
    }
    if (interrupt.signal.aborted) runError = `interrupted (${String(interrupt.signal.reason ?? 'signal')}); history kept, final reads skipped`;
  } catch (err) {
    thrown = err;
    runError = err instanceof Error ? err.message : String(err);
  } finally {
    progress.stop();
    phase = 'teardown';
    if (cluster) {
      try {
        await withTimeout(cluster.destroy(), TEARDOWN_TIMEOUT_MS, 'cluster teardown');
      } catch (err) {
        io.stderr.write(`faultline: teardown failed: ${(err as Error).message} (run \`faultline clean\`)\n`);
      }
    }
    recorder.close();
    removeSignals();
  }

  const durationMs = Date.now() - runStarted;
  const history = recorder.ops;
  let linearizability: CheckResult = { valid: 'unknown', model: model.name, ops: 0, ms: 0, keys: [], reason: 'not checked: the run failed' };
  let workloadChecks: RunResults['workloadChecks'];
  const checkStarted = Date.now();
  if (!runError && !io.skipCheck) {
    phase = 'check';
    linearizability = await deps.checkHistory(history, model, { timeLimit: config.checkTimeLimit, allKeys: config.checkAllKeys ?? false });
    workloadChecks = workload.check?.(history, { finalPhaseIndex });
  } else if (io.skipCheck && !runError) {
    linearizability = { ...linearizability, reason: 'not checked (skipCheck)' };
  }
  const checkMs = Date.now() - checkStarted;
  const valid = runError ? 'unknown' : mergeVerdicts([linearizability.valid, ...(workloadChecks ?? []).map((c) => c.valid)]);
  const results: RunResults = {
    schemaVersion: RESULTS_JSON_SCHEMA_VERSION,
    valid,
    linearizability,
    ...(workloadChecks ? { workloadChecks } : {}),
    stats: {
      ...completionStats(history),
      nemesisEvents: schedule?.events ?? 0,
      durationMs,
      checkMs,
      ...(io.keepHistoryInMemory === false ? {} : { latencyMs: latencyStats(history) }),
    },
    ...(runError ? { error: runError } : {}),
  };
  if (io.keepHistoryInMemory === false) {
    // Ops were not kept in memory: the recorder's running counts are the only source.
    Object.assign(results.stats, { ok: recorder.counts.ok, fail: recorder.counts.fail, info: recorder.counts.info });
  }
  info.endedAt = new Date().toISOString();
  writeTestJson(paths.testJson, info, io.stderr);
  writeResultsJson(paths.resultsJson, results, io.stderr);
  const comparison = io.compare ? compareWithBaseline(paths.dir, io.compare, io.stderr) : undefined;
  writeFileSync(
    paths.junitXml,
    junitXml(info, results, {
      runDir: paths.dir,
      attachments: io.junitAttachments ?? (ci.id === 'GITLAB' ? 'relative' : 'absolute'),
      baseDir: io.env?.CI_PROJECT_DIR ?? process.env.CI_PROJECT_DIR,
      systemOut: comparison?.text,
    }),
  );

  let reportPath: string | undefined;
  if (deps.renderRunReport && !io.skipCheck) {
    try {
      const rendered = (await deps.renderRunReport(paths.dir)) as { path?: string } | undefined;
      reportPath = rendered?.path;
    } catch (err) {
      io.stderr.write(`faultline: report not rendered: ${(err as Error).message}\n`);
    }
  }
  if (deps.renderStoreIndex) {
    try {
      await deps.renderStoreIndex(config.store);
    } catch (err) {
      io.stderr.write(`faultline: store index not written: ${(err as Error).message}\n`);
    }
  }
  if (output === 'json') {
    io.stdout.write(runJsonLine(resolve(paths.dir), info, results, reportPath, comparison?.diff));
  } else {
    io.stdout.write(formatSummary(name, paths.dir, results, reportPath));
    if (comparison) io.stdout.write(comparison.text);
  }

  // The cluster never became ready (or similar): the user-facing message of the original error wins.
  if (thrown instanceof UsageError) throw thrown;
  const exitCode = runError ? EXIT.error : valid === true ? EXIT.valid : valid === false ? EXIT.invalid : EXIT.unknown;
  return { exitCode, runDir: paths.dir, info, results };
}

/** First SIGINT/SIGTERM: stop, heal, tear down, keep the history. A second one: leave at once. */
function installSignalHandlers(interrupt: AbortController, stderr: ProgressSink): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      stderr.write(`\nfaultline: second ${signal}: exiting without waiting for heal/teardown (run \`faultline clean\`)\n`);
      process.exit(EXIT.error);
    }
    stderr.write(`\nfaultline: ${signal}: healing, tearing down and saving the history (again to force)\n`);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
