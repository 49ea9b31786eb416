/** Crash-restart: SIGKILL the node's process, later start it again; its data volume survives. */
import { opsOf, type FaultDescription } from './fault.js';
import type { NodeChoice } from './node-choice.js';
import { processFault, processPlanSchema } from './process-fault.js';

export const killFault = (choices?: readonly NodeChoice[]) =>
  processFault(
    {
      name: 'kill',
      async doFault(cluster, node, state) {
        if (state !== 'paused') return cluster.kill(node);
        // A frozen process does not die until thawed: thaw it, then kill it (the pause fault finds it exited).
        await cluster.unpause(node);
        await cluster.kill(node);
        return 'was paused: unpaused, then killed';
      },
      undoFault: (cluster, node) => cluster.start(node),
      faultedState: 'exited',
      appliesIn: ['running', 'paused'],
    },
    choices,
  );

const kill = { family: 'kill', capability: 'kill', ops: opsOf('kill'), color: '#c83c3c', healOrder: 10, planSchema: processPlanSchema } as const;

export const killDescriptions: FaultDescription[] = [
  { ...kill, name: 'kill', summary: 'SIGKILL one node, the leader or a minority; restart at stop', create: () => killFault() },
  { ...kill, name: 'kill-all', summary: 'SIGKILL every node at once; restart at stop', create: () => killFault(['all']) },
  { ...kill, name: 'kill-leader', summary: 'SIGKILL the leader; restart at stop', create: () => killFault(['leader']) },
];
