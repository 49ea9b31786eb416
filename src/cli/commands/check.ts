import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const checkCommand: CommandModule = {
  command: 'check',
  describe: '(check: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline check` is not implemented yet');
  },
};
