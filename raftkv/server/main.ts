/**
 * raftkv entry point: `node dist/raftkv/server/main.js [--flags]`, configured by RAFTKV_* env vars
 * (flags override them). A configuration mistake prints one line and exits 2.
 */
import { ConfigError, parseConfig, settingsFrom } from './config.js';
import { startServer } from './raftkv-server.js';

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = parseConfig(settingsFrom(process.argv.slice(2), process.env));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`raftkv: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(cfg);
  const shutdown = () => {
    void server.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((e: Error) => {
  process.stderr.write(`raftkv: fatal: ${e.message}\n`);
  process.exit(1);
});
