import { EXIT, UsageError } from './errors.js';
import { commandLoaders, commandsFor, ownMain } from './commands/index.js';
import { withExitCodes } from './exit-codes.js';

/**
 * Entry point of the `faultline` bin. Each command lives in its own file under ./commands and sets
 * `process.exitCode`; yargs' own validation failures are mapped to exit 3 (not yargs' default 1,
 * which would read as "invalid history"). A command named first that has its own parser (`main`) runs
 * without yargs.
 */
async function main(argv: string[]): Promise<void> {
  // A bare --version needs no argument parser: loading yargs is most of the start-up.
  if (argv.length === 1 && argv[0] === '--version') {
    const { faultlineVersion } = await import('../run/version.js');
    process.stdout.write(`${faultlineVersion()}\n`);
    return;
  }
  const own = argv[0] !== undefined && Object.hasOwn(commandLoaders, argv[0]) ? ownMain(await commandLoaders[argv[0]]()) : undefined;
  if (own) return own(argv.slice(1));
  const { default: yargs } = await import('yargs');
  let cli = yargs(argv)
    .scriptName('faultline')
    .strict()
    .demandCommand(1, 'Name a command; see `faultline --help`.')
    .recommendCommands()
    .showHelpOnFail(false)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100));
  for (const command of await commandsFor(argv)) cli = cli.command(withExitCodes(command) as never);
  skipHelpCaching(cli);
  await cli.parseAsync();
}

/**
 * yargs renders a command's whole help text right after starting its handler, to have it for a failure
 * later on, which showHelpOnFail(false) never shows: that rendering (cliui measuring every cell) was a
 * quarter of `faultline check`'s start-up. --help itself still renders it. Done only when yargs' internals
 * have the expected shape (yargs is pinned).
 */
function skipHelpCaching(cli: unknown): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (cli as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

function report(err: unknown): void {
  if (err instanceof UsageError) {
    console.error(`faultline: ${err.message}${err.fix ? `\n  fix: ${err.fix}` : ''}`);
  } else if (err instanceof Error) {
    console.error(`faultline: internal error: ${err.stack ?? err.message}`);
  } else {
    console.error(`faultline: ${String(err)}`);
  }
  process.exitCode = EXIT.error;
}

// A reader that goes away early (`faultline check … | head`) is not an error of the run: the output it
// would have read is dropped, the work finishes, and the exit code still carries the verdict. Output that
// cannot be written for another reason (a full disk) was lost: the run ends with exit 3, never with a verdict
// nobody saw, and never with Node's exit 1, which would read as "invalid".
let outputLost = false;
for (const [stream, other] of [
  [process.stdout, process.stderr],
  [process.stderr, process.stdout],
] as const) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    outputLost = true;
    const name = stream === process.stdout ? 'stdout' : 'stderr';
    if (!other.destroyed) other.write(`faultline: cannot write to ${name} (${err.code ?? err.message}): output was lost\n`);
  });
}
process.on('exit', () => {
  if (outputLost) process.exitCode = EXIT.error;
});
// A failure nobody caught is Faultline's bug; it still exits 3 ("could not be carried out"), not Node's 1.
process.on('uncaughtException', (err) => {
  report(err);
  process.exit(EXIT.error);
});

main(process.argv.slice(2)).catch(report);
