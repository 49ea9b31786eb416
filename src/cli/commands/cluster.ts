import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const clusterCommand: CommandModule = {
  command: 'cluster',
  describe: '(cluster: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline cluster` is not implemented yet');
  },
};
