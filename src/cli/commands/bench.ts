import type { Argv, CommandModule } from 'yargs';
import { runBench } from '../../../bench/detection/run-bench.js';
import { summarize, type BenchPart } from '../../../bench/detection/summary.js';
import { productionDeps } from '../../run/adapters.js';
import type { RunConfigInput } from '../../run/config.js';
import { parseShard } from '../../run/shard.js';
import { EXIT, UsageError } from '../errors.js';

interface BenchArgs {
  part?: string;
  knobs?: string;
  cases?: string;
  runs?: number;
  'time-limit'?: number;
  seed?: number;
  nodes?: number;
  store?: string;
  shard?: string;
}

const PARTS: readonly BenchPart[] = ['detection', 'soak'];

function builder(y: Argv): Argv<BenchArgs> {
  return y
    .positional('part', { type: 'string', describe: 'detection (does each raftkv bug knob get caught?) | soak (no false alarms on correct targets)' })
    .option('knobs', { type: 'string', describe: 'detection: comma-separated bug knobs or real-system findings ("nats", "nats cas race") [all]' })
    .option('cases', { type: 'string', describe: 'soak: comma-separated targets or case labels, e.g. etcd or "raftkv kill" [all]' })
    .option('runs', { type: 'number', describe: 'runs per knob / case, seeds seed..seed+runs-1 [detection 5, soak 3]' })
    .option('time-limit', { type: 'number', describe: 'seconds of traffic and faults per run [60]' })
    .option('seed', { type: 'number', describe: 'first seed [1]' })
    .option('nodes', { type: 'number', describe: 'cluster size [5]' })
    .option('store', { type: 'string', describe: 'store directory; tables go to <store>/bench/ [store]' })
    .option('shard', { type: 'string', describe: 'i/n: run only every n-th run of the campaign, starting with the i-th (one CI job each); join the stores with `faultline store merge`' })
    .example('faultline bench detection --knobs stale-reads,no-fsync --runs 5 --time-limit 60', '')
    .example('faultline bench soak --runs 3 --time-limit 30', '')
    .example('faultline bench soak --runs 4 --shard 2/4 --store shard2', 'the second of four CI jobs') as Argv<BenchArgs>;
}

function positiveNumber(flag: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v) || v <= 0) throw new UsageError(`--${flag} must be a number greater than 0`);
  return v;
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <part>',
  describe: 'run the detection matrix or the false-alarm soak; tables go to <store>/bench/',
  builder,
  handler: async (argv) => {
    const part = argv.part as BenchPart;
    if (!PARTS.includes(part)) throw new UsageError(`unknown bench part "${String(argv.part)}"`, `use one of: ${PARTS.join(', ')}`);
    if (part === 'soak' && argv.knobs) throw new UsageError('--knobs applies to `bench detection`', 'use --cases to choose soak cases');
    if (part === 'detection' && argv.cases) throw new UsageError('--cases applies to `bench soak`', 'use --knobs to choose bug knobs');
    const runs = positiveNumber('runs', argv.runs, part === 'detection' ? 5 : 3);
    if (!Number.isInteger(runs)) throw new UsageError('--runs must be a whole number');
    const timeLimit = positiveNumber('time-limit', argv['time-limit'], 60);
    const seed = argv.seed ?? 1;
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a whole number >= 0');
    const shard = parseShard(argv.shard);
    const overrides: RunConfigInput = {};
    if (argv.nodes !== undefined) overrides.nodes = positiveNumber('nodes', argv.nodes, 5);

    const interrupt = new AbortController();
    const onSignal = () => {
      if (interrupt.signal.aborted) process.exit(EXIT.error);
      console.error('\nfaultline bench: stopping after healing and tearing down the current run (again to force)');
      interrupt.abort('SIGINT');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const outcome = await runBench(
        {
          part,
          only: list(part === 'detection' ? argv.knobs : argv.cases),
          runs,
          timeLimit,
          baseSeed: seed,
          store: argv.store ?? 'store',
          overrides,
          command: ['faultline bench', ...process.argv.slice(3)].join(' '),
          log: (line) => console.error(line),
          signal: interrupt.signal,
          shard,
        },
        await productionDeps(),
      );
      const rows = summarize(outcome.runs);
      for (const r of rows) {
        console.log(`${r.label.padEnd(24)} ${r.invalid}/${r.runs} invalid, ${r.unknown} unknown${r.medianFirstAnomalySec !== undefined ? `, median first anomaly ${r.medianFirstAnomalySec.toFixed(1)} s` : ''}`);
      }
      console.log(`tables: ${outcome.dir}/results.md and results.json`);
      // Exit like a run would: detection fails when a knob was missed; soak fails on any invalid verdict.
      const failed = part === 'detection' ? rows.some((r) => r.invalid < r.runs) : rows.some((r) => r.invalid > 0);
      process.exitCode = interrupt.signal.aborted ? EXIT.error : failed ? EXIT.invalid : EXIT.valid;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
