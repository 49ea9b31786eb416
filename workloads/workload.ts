/**
 * What a workload is: a deterministic stream of client ops, how each op is carried out on a client (the
 * verbs it names), the model its history is checked with, and any extra checks of its own (set:
 * lost/phantom elements). The types live in src/core (the public API).
 */
export type { OpStream, PlannedOp, Workload, WorkloadCheck, WorkloadOptions } from '../src/core/workload.js';
