/** Pause/resume with the cgroup freezer (`docker pause`): the process cannot observe it was stopped. */
import type { NodeChoice } from './node-choice.js';
import { processFault } from './process-fault.js';

export const pauseFault = (choices?: readonly NodeChoice[]) =>
  processFault(
    {
      name: 'pause',
      doFault: (cluster, node) => cluster.pause(node),
      undoFault: (cluster, node) => cluster.unpause(node),
      faultedState: 'paused',
    },
    choices,
  );
