import { UsageError } from '../src/core/errors.js';
import { kvWorkload } from './kv.js';
import { registerWorkload } from './register.js';
import { setWorkload } from './set.js';
import type { Workload } from './workload.js';

export type { OpStream, PlannedOp, Workload, WorkloadCheck, WorkloadOptions } from './workload.js';

export const workloads: Record<string, Workload> = {
  register: registerWorkload,
  kv: kvWorkload,
  set: setWorkload,
};

export const workloadNames = Object.keys(workloads);

export function getWorkload(name: string): Workload {
  const w = workloads[name];
  if (!w) throw new UsageError(`unknown workload "${name}"`, `use one of: ${workloadNames.join(', ')}`);
  return w;
}
