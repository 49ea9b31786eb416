/**
 * Teardown on Ctrl-C / SIGTERM. Registered cleanups run once, in reverse order of registration, then the
 * process exits 130 (SIGINT) or 143 (SIGTERM). A second signal while cleaning only says so; a third exits.
 */
type Cleanup = () => Promise<void>;

const cleanups: Cleanup[] = [];
let signals = 0;
let interruptExitCode: number | undefined;

/** Commands with their own exit-code contract (`faultline run`: 3 = the run could not be carried out) set it here. */
export function setInterruptExitCode(code: number): void {
  interruptExitCode = code;
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  signals++;
  if (signals === 2) {
    console.error('faultline: still cleaning up (press Ctrl-C again to exit now; then run `faultline clean`)');
    return;
  }
  if (signals > 2) process.exit(interruptExitCode ?? 130);
  console.error(`faultline: ${signal}: tearing down…`);
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (err) {
      console.error(`faultline: cleanup failed: ${err instanceof Error ? err.message : String(err)}; run \`faultline clean\``);
    }
  }
  process.exit(interruptExitCode ?? (signal === 'SIGINT' ? 130 : 143));
}

const handler = (signal: NodeJS.Signals) => void onSignal(signal);

/** Runs `cleanup` if the process gets SIGINT/SIGTERM before the returned unregister function is called. */
export function onShutdown(cleanup: Cleanup): () => void {
  if (cleanups.length === 0) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }
  cleanups.push(cleanup);
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
    if (cleanups.length === 0) {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    }
  };
}
