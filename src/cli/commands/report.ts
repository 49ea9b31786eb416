import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const reportCommand: CommandModule = {
  command: 'report',
  describe: '(report: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline report` is not implemented yet');
  },
};
