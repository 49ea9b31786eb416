import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { renderStoreIndex } from '../../../reports/render-store-index.js';
import { createStoreServer } from '../../store/static-server.js';
import { UsageError } from '../errors.js';

interface ServeArgs {
  port: number;
  store: string;
}

/** Starts the store server on 127.0.0.1:port; resolves once listening (port errors become UsageErrors). */
export async function serveStore(storeDir: string, port: number): Promise<{ url: string; close: () => Promise<void> }> {
  const store = resolve(storeDir);
  if (!existsSync(store) || !statSync(store).isDirectory()) {
    throw new UsageError(`store directory not found: ${store}`, 'run `faultline run` first, or pass --store <dir>');
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port ${port}: use 0-65535`);
  renderStoreIndex(store);
  const server = createStoreServer(store, { refreshIndex: () => renderStoreIndex(store) });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on 127.0.0.1 is already in use`, `pick another with --port ${port + 1}`)
          : e.code === 'EACCES'
            ? new UsageError(`not allowed to listen on port ${port}`, 'use a port above 1023')
            : e,
      ),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() for seconds
      }),
  };
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Browse stored runs and their reports on 127.0.0.1',
  builder: (y) =>
    y
      .option('port', { type: 'number', default: 8080, describe: 'port on 127.0.0.1 (0 = any free port)' })
      .option('store', { type: 'string', default: 'store', describe: 'the store directory' }) as never,
  handler: async (args) => {
    const { url } = await serveStore(args.store, args.port);
    console.log(`serving ${resolve(args.store)} at ${url}  (Ctrl-C to stop)`);
    // Keep running until interrupted; the listening server holds the event loop open.
  },
};
