import type { Operation } from '../../src/history/types.js';
import type { ValueFlow } from '../types.js';
import { casArgs, hashValue, showValue, valueKey, valuesEqual } from './value.js';

/**
 * The single-register semantics shared by `register`, `cas-register` and `kv` (Knossos' cas-register):
 * - read: legal when the observed value equals the state. A read whose result is unknown (an `info` read,
 *   or an ok read without a value) is always legal. An ok read of null is a real value here (the default
 *   initial value), so reading null after a write is a stale read; Knossos's meaning, where such a read is
 *   legal in any state, is applied before the check by leaving those reads out (isNilRead, --nil-read).
 * - write v: always legal, state becomes v.
 * - cas [from, to]: legal when the state equals from; state becomes to. An `ok` cas means it applied
 *   (our clients turn a failed compare into `fail`, which the checker drops); an `info` cas either applied
 *   (only possible when the state equals from) or never happened (the search may omit it).
 */
export function stepRegister(state: unknown, op: Operation, allowCas: boolean): unknown | undefined {
  switch (op.f) {
    case 'read':
      if (op.status !== 'ok' || op.output === undefined) return state;
      return valuesEqual(state, op.output) ? state : undefined;
    case 'write':
      return op.input ?? null;
    case 'cas': {
      if (!allowCas) return undefined;
      const args = casArgs(op.input);
      if (!args) return undefined;
      return valuesEqual(state, args[0]) ? (args[1] ?? null) : undefined;
    }
    default:
      return undefined;
  }
}

export function checkRegisterOp(op: Operation, allowCas: boolean, model: string): string | undefined {
  const fs = allowCas ? ['read', 'write', 'cas'] : ['read', 'write'];
  if (!fs.includes(op.f)) return `model ${model} has no operation "${op.f}" (it knows ${fs.join(', ')})`;
  if (op.f === 'cas' && !casArgs(op.input)) return `cas needs a [from, to] value, got ${showValue(op.input)}`;
  return undefined;
}

export function describeRegisterOp(op: Operation): string {
  const who = typeof op.process === 'number' ? ` (p${op.process})` : '';
  const key = op.key !== undefined ? ` ${op.key}` : '';
  const suffix = op.status === 'info' ? ' [info]' : op.status === 'fail' ? ' [fail]' : '';
  switch (op.f) {
    case 'read':
      return `read${key} -> ${op.status === 'ok' && op.output !== undefined ? showValue(op.output) : '?'}${who}${suffix}`;
    case 'write':
      return `write${key} ${showValue(op.input)}${who}${suffix}`;
    case 'cas': {
      const args = casArgs(op.input);
      return `cas${key} ${args ? `${showValue(args[0])}->${showValue(args[1])}` : showValue(op.input)}${who}${suffix}`;
    }
    default:
      return `${op.f}${key} ${showValue(op.input)}${who}${suffix}`;
  }
}

/** An ok read that returned nil: what it means is chosen by CheckOptions.nilRead (see Model.isNilRead). */
export const isNilRead = (op: Operation): boolean => op.f === 'read' && op.status === 'ok' && op.output === null;

export const registerHash = (s: unknown): number => hashValue(s);
export const registerEqual = (a: unknown, b: unknown): boolean => valuesEqual(a, b);

/** Values a register op observes and produces (Model.flow). */
export function registerFlow(op: Operation): ValueFlow | undefined {
  if (op.f === 'read') return { observed: op.status === 'ok' && op.output !== undefined ? [valueKey(op.output)] : [], produced: [] };
  if (op.f === 'write') return { observed: [], produced: [valueKey(op.input)] };
  const args = casArgs(op.input);
  return args ? { observed: [valueKey(args[0])], produced: [valueKey(args[1])] } : undefined;
}
