import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const serveCommand: CommandModule = {
  command: 'serve',
  describe: '(serve: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline serve` is not implemented yet');
  },
};
