import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const doctorCommand: CommandModule = {
  command: 'doctor',
  describe: '(doctor: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline doctor` is not implemented yet');
  },
};
