import type { Argv, CommandModule } from 'yargs';
import { formatDiff } from '../../diff/format-diff.js';
import { diffRuns, isRegression, previousRun, readStoredRun } from '../../diff/run-diff.js';
import { EXIT, UsageError } from '../errors.js';

interface DiffArgs {
  run: string;
  baseline?: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <run> [baseline]',
  describe: 'What changed between two stored runs: verdict, anomalies new / resolved / still failing, availability, latency',
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'run directory (store/<test>/<timestamp> or store/<test>/latest)' })
      .positional('baseline', { type: 'string', describe: 'run to compare with [the previous finished run of the same test]' })
      .option('json', { type: 'boolean', default: false, describe: 'the comparison as one JSON object' })
      .example('faultline diff store/raftkv-register-partition/latest', 'compare the newest run with the one before it') as unknown as Argv<DiffArgs>,
  handler: (argv) => {
    const run = readStoredRun(argv.run);
    const baselineDir = argv.baseline ?? previousRun(run.dir);
    if (!baselineDir) throw new UsageError(`no earlier finished run of ${run.info.name} next to ${argv.run}`, 'name the baseline: faultline diff <run> <baseline>');
    const diff = diffRuns(run, readStoredRun(baselineDir));
    process.stdout.write(argv.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff));
    process.exitCode = isRegression(diff) ? EXIT.invalid : EXIT.valid;
  },
};
