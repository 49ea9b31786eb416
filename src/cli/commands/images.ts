import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

export const imagesCommand: CommandModule = {
  command: 'images',
  describe: '(images: not implemented yet)',
  handler: () => {
    throw new UsageError('`faultline images` is not implemented yet');
  },
};
