import type { Argv, CommandModule } from 'yargs';
import { mergeStores } from '../../store/merge.js';
import { UsageError } from '../errors.js';

interface MergeArgs {
  stores: string[];
  out: string;
}

const merge: CommandModule<object, MergeArgs> = {
  command: 'merge <stores..>',
  describe: 'Join the stores of a sharded campaign (bench --shard i/n) into one: runs, one table per bench part, index.html',
  builder: (y: Argv) =>
    y
      .positional('stores', { type: 'string', array: true, demandOption: true, describe: "each shard's --store directory" })
      .option('out', { type: 'string', demandOption: true, describe: 'the merged store (a new directory)' })
      .example('faultline store merge shard1 shard2 shard3 shard4 --out merged', '')
      .epilogue('Exit codes: 0 merged, 3 bad input (a store missing) or a shard missing from a campaign.') as unknown as Argv<MergeArgs>,
  handler: async (args) => {
    const { renderStoreIndex } = await import('../../../reports/render-store-index.js');
    const outcome = await mergeStores(args.stores, args.out, (dir) => renderStoreIndex(dir));
    console.log(`merged ${args.stores.length} stores into ${outcome.out}: ${outcome.runDirs} run directories, index.html`);
    for (const part of outcome.parts) {
      console.log(`bench ${part.part}: ${part.runs.length} runs from shards ${part.shards.join(', ') || '(unsharded)'} -> ${part.dir}/results.md`);
      for (const r of part.rows) console.log(`  ${r.label.padEnd(28)} ${r.invalid}/${r.runs} invalid, ${r.valid} valid, ${r.unknown} unknown`);
    }
    const missing = outcome.parts.filter((p) => p.missingShards.length > 0);
    if (missing.length > 0) {
      throw new UsageError(
        `incomplete campaign: ${missing.map((p) => `${p.part} is missing shard(s) ${p.missingShards.join(', ')}`).join('; ')}`,
        'merge the stores of every shard (the tables were written with what there is)',
      );
    }
  },
};

export const storeCommand: CommandModule = {
  command: 'store <action>',
  describe: 'Work on stores as a whole (merge)',
  builder: (y) => y.command(merge as never).demandCommand(1, 'Name an action: merge.'),
  handler: () => {
    throw new UsageError('name an action: `faultline store merge`');
  },
};
