/** Every target Faultline can test, by name. Adding a database = one file + one line here. */
import { UsageError } from '../cli/errors.js';
import { etcdTarget } from './etcd.js';
import { raftkvTarget } from './raftkv.js';
import type { Target } from './target.js';

const targets = new Map<string, Target>([
  [raftkvTarget.name, raftkvTarget],
  [etcdTarget.name, etcdTarget],
]);

/** Lets another module (e.g. raftkv's target file) add itself without editing this list. */
export function registerTarget(target: Target): void {
  targets.set(target.name, target);
}

export function knownTargets(): string[] {
  return [...targets.keys()].sort();
}

/** The target called `name`; an unknown name is a UsageError listing the known ones. */
export function getTarget(name: string): Target {
  const target = targets.get(name);
  if (!target) {
    throw new UsageError(`unknown target "${name}"; known targets: ${knownTargets().join(', ')}`, `use --target ${knownTargets()[0]}`);
  }
  return target;
}
