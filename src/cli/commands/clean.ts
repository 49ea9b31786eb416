import type { CommandModule } from 'yargs';
import { assertDockerReachable } from '../../runtime/docker-client.js';
import { sweepAll } from '../../runtime/sweep.js';

export const cleanCommand: CommandModule = {
  command: 'clean',
  describe: 'Remove every container, volume and network labelled faultline (images stay)',
  handler: async () => {
    await assertDockerReachable();
    const removed = await sweepAll();
    for (const name of removed.containers) console.log(`removed container ${name}`);
    for (const name of removed.volumes) console.log(`removed volume ${name}`);
    for (const name of removed.networks) console.log(`removed network ${name}`);
    const total = removed.containers.length + removed.volumes.length + removed.networks.length;
    console.log(total === 0 ? 'nothing to clean' : `removed ${total} objects`);
  },
};
