import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const runCommand: CommandModule = {
  command: 'run',
  describe: '(run: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline run` is not implemented yet');
  },
};
