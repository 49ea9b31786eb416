import { stat, writeFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { toEdnHistory } from '../../history/edn-writer.js';
import { readRawHistory, readRunDirectory } from '../../history/load.js';
import { UsageError } from '../errors.js';

interface ExportArgs {
  input: string;
  out?: string;
  'allow-truncated'?: boolean;
}

/**
 * `faultline export`: any history Faultline reads (our JSONL, Jepsen/Knossos EDN, a Jepsen log, or a run
 * directory) written as the EDN Jepsen writes, so Knossos (and other tools that read Jepsen's history.edn)
 * can re-check our runs. Returns what it wrote, for the CLI line and tests.
 */
export async function runExport(argv: ExportArgs, print: (line: string) => void): Promise<{ ops: number; out?: string }> {
  const info = await stat(argv.input).catch(() => undefined);
  if (!info) throw new UsageError(`${argv.input}: no such file or directory`);
  let file = argv.input;
  if (info.isDirectory()) {
    const run = await readRunDirectory(argv.input);
    if (!run) throw new UsageError(`${argv.input} is a directory without history.jsonl or history.edn`, 'pass a history file or a run directory');
    file = run.history;
  }
  const raw = await readRawHistory(file, { allowTruncated: argv['allow-truncated'] });
  const edn = toEdnHistory(raw.ops);
  // Knossos reads an ok read of nil as unconstrained; in our JSONL and Jepsen logs it meant "null / absent".
  const nilReads = raw.format === 'edn' ? 0 : raw.ops.filter((op) => op.type === 'ok' && op.f === 'read' && op.value === null).length;
  if (nilReads > 0) {
    process.stderr.write(
      `faultline: note: ${nilReads} ok read(s) returned nil; Knossos (and faultline check on the EDN) reads them as unconstrained, ` +
        `where ${raw.format === 'jsonl' ? 'this history' : 'this log'} meant the value null (re-check the EDN with --nil-read strict to keep that meaning)\n`,
    );
  }
  const cut = raw.truncated ? ` (the input is cut off at line ${raw.truncated.line}: only the complete ops before the cut were written)` : '';
  if (argv.out) {
    await writeFile(argv.out, edn);
    print(`${argv.out}: ${raw.ops.length} ops from ${file} as EDN${cut}`);
    return { ops: raw.ops.length, out: argv.out };
  }
  print(edn.trimEnd());
  if (cut) process.stderr.write(`faultline: ${file}${cut}\n`);
  return { ops: raw.ops.length };
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <input>',
  describe: 'Write a history (JSONL, EDN, Jepsen log or run directory) as Jepsen EDN for Knossos',
  builder: (y: Argv) =>
    y
      .positional('input', { type: 'string', demandOption: true, describe: 'history file or run directory' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the EDN here (default: stdout)' })
      .option('allow-truncated', { type: 'boolean', default: false, describe: 'export the complete ops of a history cut off by a crash' })
      .example('faultline export store/raftkv-register-partition/latest -o history.edn', "a run's history for Knossos")
      .example('faultline export history.jsonl > history.edn', 'to stdout') as unknown as Argv<ExportArgs>,
  handler: async (argv) => {
    await runExport(argv, (line) => process.stdout.write(`${line}\n`));
  },
};
