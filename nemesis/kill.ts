/** Crash-restart: SIGKILL the node's process, later start it again; its data volume survives. */
import type { NodeChoice } from './node-choice.js';
import { processFault } from './process-fault.js';

export const killFault = (choices?: readonly NodeChoice[]) =>
  processFault(
    {
      name: 'kill',
      doFault: (cluster, node) => cluster.kill(node),
      undoFault: (cluster, node) => cluster.start(node),
      faultedState: 'exited',
      restarts: true,
    },
    choices,
  );
