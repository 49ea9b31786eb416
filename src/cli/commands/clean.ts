import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const cleanCommand: CommandModule = {
  command: 'clean',
  describe: '(clean: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline clean` is not implemented yet');
  },
};
