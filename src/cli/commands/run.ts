import type { Argv, CommandModule } from 'yargs';
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { productionDeps } from '../../run/adapters.js';
import { parseTargetOptions, readConfigFile, replayedRunConfig, resolveConfig, type RunConfigInput } from '../../run/config.js';
import { nemesisHelp } from '../../../nemesis/index.js';
import { executeRun } from '../../run/execute-run.js';
import { setInterruptExitCode } from '../../runtime/shutdown.js';
import { targetChoices } from '../../targets/registry.js';
import { EXIT, UsageError } from '../errors.js';

interface RunArgs {
  config?: string;
  target?: string;
  workload?: string;
  nemesis?: string;
  nodes?: number;
  concurrency?: number;
  rate?: number;
  'time-limit'?: number;
  'nemesis-interval'?: number;
  seed?: number;
  'target-opt'?: string[];
  store?: string;
  name?: string;
  'op-timeout'?: number;
  'quiet-period'?: number;
  keys?: number;
  'ops-per-key'?: number;
  ops?: string;
  'loss-probability'?: number;
  'clock-max-offset'?: number;
  'nemesis-mode'?: string;
  'faults-from'?: string;
  'disk-file'?: string;
  'disk-truncate'?: string;
  'disk-flips'?: number;
  'ready-timeout'?: number;
  'check-time-limit'?: number;
  'check-all-keys'?: boolean;
  quiet?: boolean;
  json?: boolean;
  compare?: string;
  'junit-attachment'?: 'absolute' | 'relative';
}

/** No yargs defaults: an absent flag must not override the config file. Defaults live in run/config.ts. */
function builder(y: Argv): Argv<RunArgs> {
  return y
    .option('config', { type: 'string', describe: 'run.json with the same fields (flags override it)' })
    .option('target', { type: 'string', describe: `database under test: ${targetChoices()} [raftkv]` })
    .option('workload', { type: 'string', describe: 'register | kv | set [kv]' })
    .option('nemesis', { type: 'string', describe: `faults, comma-separated, or none [partition]: ${nemesisHelp()}` })
    .option('nodes', { type: 'number', describe: 'cluster size [5]' })
    .option('concurrency', { type: 'number', describe: 'client workers [10]' })
    .option('rate', { type: 'number', describe: 'client ops/s over all workers, 0 = unlimited [200]' })
    .option('time-limit', { type: 'number', describe: 'seconds of traffic and faults [60]' })
    .option('nemesis-interval', { type: 'number', describe: 'seconds between fault start/stop [10]' })
    .option('seed', { type: 'number', describe: 'PRNG seed; reproduces the op mix and fault schedule [random]' })
    .option('target-opt', { type: 'string', array: true, describe: 'target option key=value (repeatable)' })
    .option('store', { type: 'string', describe: 'store directory [store]' })
    .option('name', { type: 'string', describe: 'test name [<target>-<workload>-<nemesis>]' })
    .option('op-timeout', { type: 'number', describe: 'client op timeout, ms [5000]' })
    .option('quiet-period', { type: 'number', describe: 'seconds between heal and final reads [5]' })
    .option('keys', { type: 'number', describe: 'kv: keys active at once [8]' })
    .option('ops-per-key', { type: 'number', describe: 'kv: ops per key before it rotates [200]' })
    .option('ops', { type: 'string', describe: 'register, kv: op kinds, comma-separated, e.g. write,cas for a run without reads [read,write,cas]' })
    .option('loss-probability', { type: 'number', describe: 'loss nemesis: drop probability [0.2]' })
    .option('clock-max-offset', { type: 'number', describe: 'clock nemesis: max offset, s [30]' })
    .option('nemesis-mode', { type: 'string', describe: 'composed: every fault family on its own schedule, overlapping; one-at-a-time: one family per cycle [composed]' })
    .option('faults-from', { type: 'string', describe: 'replay the fault schedule of a finished run (its directory: its settings are the defaults too) or of a schedule file, at the same offsets' })
    .option('disk-file', { type: 'string', describe: 'disk faults: only files matching this glob inside the container [the target\'s data files]' })
    .option('disk-truncate', { type: 'string', describe: 'disk faults: truncate to bytes (4096), a fraction (0.5) or a percentage (50%) [random fraction]' })
    .option('disk-flips', { type: 'number', describe: 'disk faults: bits flipped per bitflip [8]' })
    .option('ready-timeout', { type: 'number', describe: 'seconds for the cluster to become ready [120]' })
    .option('check-time-limit', { type: 'number', describe: 'seconds the checker may take before "unknown" [300]' })
    .option('check-all-keys', { type: 'boolean', describe: 'decide every key for the report; by default the check ends at the first invalid key and the rest are "not checked"' })
    .option('quiet', { type: 'boolean', describe: 'no progress on stderr; stdout keeps the seed line and the summary' })
    .option('json', { type: 'boolean', describe: 'stdout: one JSON object when the run ends (verdict, seed, paths, results), nothing else' })
    .option('compare', { type: 'string', describe: 'compare with "previous" (the last finished run of this test) or a run directory: printed after the summary, in report.html and junit.xml' })
    .option('junit-attachment', { choices: ['absolute', 'relative'] as const, describe: 'report.html path in junit.xml: absolute (Jenkins) or relative to $CI_PROJECT_DIR / the cwd (GitLab) [relative under GitLab CI, else absolute]' })
    .conflicts('quiet', 'json') as Argv<RunArgs>;
}

/** yargs turns a non-numeric value of a number flag into NaN; say which flag, instead of a zod message. */
function flagsToConfig(a: RunArgs): RunConfigInput {
  const num = (flag: keyof RunArgs): number | undefined => {
    const v = a[flag];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new UsageError(`--${flag} must be a number`);
    return v;
  };
  return {
    target: a.target,
    workload: a.workload,
    nemesis: a.nemesis as unknown as string[] | undefined,
    nodes: num('nodes'),
    concurrency: num('concurrency'),
    rate: num('rate'),
    timeLimit: num('time-limit'),
    nemesisInterval: num('nemesis-interval'),
    seed: num('seed'),
    targetOptions: a['target-opt'] ? parseTargetOptions(a['target-opt']) : undefined,
    store: a.store,
    name: a.name,
    opTimeout: num('op-timeout'),
    quietPeriod: num('quiet-period'),
    keys: num('keys'),
    opsPerKey: num('ops-per-key'),
    ops: a.ops as unknown as RunConfigInput['ops'],
    lossProbability: num('loss-probability'),
    clockMaxOffset: num('clock-max-offset'),
    nemesisMode: a['nemesis-mode'],
    faultsFrom: a['faults-from'],
    diskFile: a['disk-file'],
    diskTruncate: a['disk-truncate'],
    diskFlips: num('disk-flips'),
    readyTimeout: num('ready-timeout'),
    checkTimeLimit: num('check-time-limit'),
    checkAllKeys: a['check-all-keys'],
  } as RunConfigInput;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'start a cluster, drive a workload under faults, record and check the history',
  builder,
  handler: async (argv) => {
    // An interrupted run is a run that could not be carried out, also while the cluster is still starting.
    setInterruptExitCode(EXIT.error);
    if (argv.compare !== undefined && argv.compare !== 'previous' && !(existsSync(argv.compare) && statSync(argv.compare).isDirectory())) {
      throw new UsageError(`--compare ${JSON.stringify(argv.compare)} is neither "previous" nor a run directory`, 'use --compare previous, or --compare store/<test>/<timestamp>');
    }
    const file = argv.config ? readConfigFile(argv.config) : argv['faults-from'] ? replayedRunConfig(argv['faults-from']) : {};
    const config = resolveConfig(file, flagsToConfig(argv), () => randomInt(0, 0x7fffffff));
    const deps = await productionDeps();
    const outcome = await executeRun(config, deps, {
      stdout: process.stdout,
      stderr: process.stderr,
      handleSignals: true,
      output: argv.json ? 'json' : argv.quiet ? 'quiet' : 'text',
      compare: argv.compare,
      junitAttachments: argv['junit-attachment'],
    });
    process.exitCode = outcome.exitCode;
  },
};
