import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/**
 * The `main` of a command that parses its own command line (src/cli/flags.ts) and so runs without yargs
 * being loaded at all, which was most of a small check's start-up; undefined for the others.
 */
export function ownMain(command: AnyCommand): ((argv: string[]) => Promise<void>) | undefined {
  const main = (command as { main?: unknown }).main;
  return typeof main === 'function' ? (main as (argv: string[]) => Promise<void>).bind(command) : undefined;
}

/**
 * Every CLI command, one file each, by name. A command's module is imported only when the command is
 * named (or for the help that lists them all), so `faultline check` never loads Docker, the report or the
 * run pipeline: start-up was most of the time of checking a small history.
 */
export const commandLoaders: Record<string, () => Promise<AnyCommand>> = {
  run: async () => (await import('./run.js')).runCommand,
  check: async () => (await import('./check.js')).checkCommand,
  export: async () => (await import('./export.js')).exportCommand,
  report: async () => (await import('./report.js')).reportCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  cluster: async () => (await import('./cluster.js')).clusterCommand,
  images: async () => (await import('./images.js')).imagesCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  clean: async () => (await import('./clean.js')).cleanCommand,
  bench: async () => (await import('./bench.js')).benchCommand,
  store: async () => (await import('./store.js')).storeCommand,
  target: async () => (await import('./target.js')).targetCommand,
};

/**
 * The commands `argv` needs: the one it names, none for a bare --version, else all (top-level help,
 * a typo that yargs answers with "did you mean").
 */
export async function commandsFor(argv: string[]): Promise<AnyCommand[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name !== undefined && commandLoaders[name]) return [await commandLoaders[name]()];
  if (name === undefined && argv.length > 0 && argv.every((a) => a === '--version')) return [];
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
