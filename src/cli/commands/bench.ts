import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const benchCommand: CommandModule = {
  command: 'bench',
  describe: '(bench: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline bench` is not implemented yet');
  },
};
