import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { renderRunReport } from '../../../reports/render-run-report.js';
import { UsageError } from '../errors.js';

interface ReportArgs {
  runDir: string;
  out?: string;
}

/** Checks the argument is a run directory before rendering, so a typo is a one-line error, not a stack. */
export function assertRunDir(dir: string): void {
  if (!existsSync(dir)) throw new UsageError(`run directory not found: ${dir}`, 'pass a store/<test>/<timestamp> directory');
  if (!statSync(dir).isDirectory()) throw new UsageError(`not a directory: ${dir}`, 'pass the run directory, not a file in it');
  if (!['test.json', 'history.jsonl', 'results.json'].some((f) => existsSync(resolve(dir, f)))) {
    throw new UsageError(`${dir} is not a run directory (no test.json, history.jsonl or results.json)`, 'pass a store/<test>/<timestamp> directory');
  }
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <run-dir>',
  describe: 'Render report.html for a stored run (no cluster needed)',
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'store/<test>/<timestamp>' })
      .option('out', { type: 'string', describe: 'write the page here instead of <run-dir>/report.html' }) as never,
  handler: async (args) => {
    const dir = resolve(args.runDir);
    assertRunDir(dir);
    if (args.out && !existsSync(dirname(resolve(args.out)))) throw new UsageError(`output directory does not exist: ${dirname(resolve(args.out))}`);
    const r = await renderRunReport(dir, args.out ? { outFile: resolve(args.out) } : {});
    console.log(`${r.path}  (${r.state}, ${r.ops} ops, ${(r.bytes / 1024).toFixed(0)} KiB)`);
  },
};
