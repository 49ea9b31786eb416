import { extname } from 'node:path';
import type { CommandModule } from 'yargs';
import { missingVerbs } from '../../core/client.js';
import { describeOptions } from '../../core/options.js';
import type { Target } from '../../core/target.js';

const DECLARATIVE = ['.json', '.yaml', '.yml'];

/** Loads a target file the way `run --target <file>` does, without starting anything. */
async function loadForCheck(file: string): Promise<{ target: Target; image: string }> {
  if (DECLARATIVE.includes(extname(file).toLowerCase())) {
    const { readTargetFile, declarativeTarget } = await import('../../declarative/index.js');
    const spec = readTargetFile(file);
    return { target: declarativeTarget(spec, file), image: spec.image };
  }
  const { loadTargetFile } = await import('../../targets/load-target-file.js');
  const target = await loadTargetFile(file);
  const image = 'contextDir' in target.image ? `built from ${target.image.contextDir}` : target.image.name;
  return { target, image };
}

const check: CommandModule<object, { file: string }> = {
  command: 'check <file>',
  describe: 'Validate a target file (.yaml, .json, .ts, .js) without starting anything; exit 0 when it is fine, 3 with every problem',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'the target file' }) as never,
  handler: async (args) => {
    const { target, image } = await loadForCheck(args.file);
    const client = target.client({ node: 'n1', host: '127.0.0.1', port: target.clientPort }, target.parseOptions({}));
    const verbs = ['read', 'write', 'cas', 'append'].filter((v) => missingVerbs(client, [v]).length === 0);
    const faults = Object.entries(target.capabilities).map(([k, v]) => `${k}${v ? '' : ' (not affected)'}`);
    console.log(`${args.file}: target ${target.name} is valid`);
    console.log(`  image: ${image}; ${target.defaultNodes} nodes; client port ${target.clientPort}`);
    console.log(`  client verbs: ${verbs.join(', ')}${target.leader ? '; leader discovery' : ''}`);
    console.log(`  faults: ${faults.join(', ')}`);
    const options = describeOptions(target.options);
    if (options.length > 0) console.log(`  options: ${options.map((o) => `${o.name} (${o.accepts})`).join(', ')}`);
  },
};

const schema: CommandModule = {
  command: 'schema',
  describe: 'Print the JSON Schema of declarative target files (also published as schemas/target.schema.json)',
  handler: async () => {
    const { targetJsonSchema } = await import('../../declarative/json-schema.js');
    process.stdout.write(targetJsonSchema());
  },
};

export const targetCommand: CommandModule = {
  command: 'target <command>',
  describe: 'Work with target files: check one, print the declarative file schema',
  builder: (y) => y.command(check as never).command(schema).demandCommand(1) as never,
  handler: () => undefined,
};
