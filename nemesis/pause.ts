/** Pause/resume with the cgroup freezer (`docker pause`): the process cannot observe it was stopped. */
import { opsOf, type FaultDescription } from './fault.js';
import type { NodeChoice } from './node-choice.js';
import { processFault, processPlanSchema } from './process-fault.js';

export const pauseFault = (choices?: readonly NodeChoice[]) =>
  processFault(
    {
      name: 'pause',
      doFault: (cluster, node) => cluster.pause(node),
      undoFault: (cluster, node) => cluster.unpause(node),
      faultedState: 'paused',
      // A killed node cannot be frozen (and a paused one already is): those are skipped and named.
      appliesIn: ['running'],
    },
    choices,
  );

export const pauseDescription: FaultDescription = {
  name: 'pause',
  summary: 'freeze one node, the leader or a minority (cgroup freezer); thaw at stop',
  family: 'pause',
  capability: 'pause',
  ops: opsOf('pause'),
  color: '#3c8ca0',
  healOrder: 10,
  planSchema: processPlanSchema,
  create: () => pauseFault(),
};
