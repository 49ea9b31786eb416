/**
 * The exit codes of each command, in words, for the end of its --help (main.ts adds them to every
 * command). One table, so a command's help and the README cannot disagree.
 */
import type { Argv, CommandModule } from 'yargs';
import { EXIT } from './errors.js';

const VERDICT = `Exit codes: ${EXIT.valid} valid, ${EXIT.invalid} invalid (an anomaly was found), ${EXIT.unknown} unknown (the checker could not decide), ${EXIT.error} it could not be carried out (bad input, Docker, interrupted).`;
const DONE = `Exit codes: 0 done, ${EXIT.error} it could not be done (bad input, Docker unreachable, ...).`;
const STREAMS = 'stdout: results; stderr: progress and diagnostics (errors start with "faultline:").';

export const EXIT_CODE_HELP: Record<string, string> = {
  run: `${VERDICT} stdout: the seed line and the summary (one JSON object with --json); stderr: progress and diagnostics.`,
  check: `${VERDICT} With several files: ${EXIT.error} if any could not be read, else ${EXIT.invalid} if any is invalid, else ${EXIT.unknown} if any is unknown. ${STREAMS}`,
  diff: `Exit codes: 0 nothing got worse, ${EXIT.invalid} new anomalies or a verdict further from valid, ${EXIT.error} bad input (no such run, no baseline). ${STREAMS}`,
  bench: `Exit codes: 0 the bench ran (its tables hold the verdicts), ${EXIT.error} it could not be carried out. ${STREAMS}`,
};

/** `command` with its exit codes at the end of its --help. */
export function withExitCodes<T extends CommandModule<any, any>>(command: T): T {
  const name = String(Array.isArray(command.command) ? command.command[0] : command.command ?? '').split(' ')[0];
  const text = EXIT_CODE_HELP[name] ?? `${DONE} ${STREAMS}`;
  const builder = command.builder;
  return {
    ...command,
    builder: (y: Argv) => {
      const built = typeof builder === 'function' ? (builder(y) as Argv) : y.options(builder ?? {});
      return built.epilogue(text);
    },
  };
}
