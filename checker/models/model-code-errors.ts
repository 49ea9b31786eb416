/**
 * A model file's functions, guarded: a throw in the user's step, hash, describeOp, ... is the user's to fix,
 * so it becomes a ModelCodeError (a UsageError: exit 3, no stack trace) naming the file, the function, what
 * it was given and the line that threw, the same in the main thread and on a worker. Built-in models are
 * never guarded: a throw there is Faultline's bug.
 */
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../src/core/errors.js';
import type { Operation } from '../../src/history/types.js';
import { firstLine } from '../../src/user-modules/load-module-file.js';
import type { Model } from '../types.js';

/** A throw in a model file's own code; `message` and `fix` are what a worker sends back (see checker/worker.ts). */
export class ModelCodeError extends UsageError {
  constructor(message: string, fix?: string) {
    super(message, fix);
    this.name = 'ModelCodeError';
  }
}

/** The model's functions, and what each was given (its arguments, in words, for the message). */
const GUARDED = {
  init: () => '',
  step: (m, [state, op]) => ` on ${opText(m, op)} in state ${stateText(m, state)}`,
  hash: (m, [state]) => ` on state ${stateText(m, state)}`,
  equal: (m, [a, b]) => ` comparing states ${stateText(m, a)} and ${stateText(m, b)}`,
  describeOp: (m, [op]) => ` on ${opText(m, op, false)}`,
  describeState: () => '',
  partition: (_m, [ops]) => ` on the history's ${(ops as unknown[]).length} ops`,
  checkOp: (m, [op]) => ` on ${opText(m, op)}`,
  isReadOnly: (m, [op]) => ` on ${opText(m, op)}`,
} satisfies Record<string, (model: Model, args: unknown[]) => string>;

type Guarded = keyof typeof GUARDED;
type ModelFunction = (this: Model, a?: unknown, b?: unknown) => unknown;

/**
 * The model `exported` from `path` (as the user named it; `file` is its absolute path) with every function it
 * has guarded. The result inherits the rest from the user's object, which is left as it is.
 */
export function guardModelCode(model: Model, path: string, file: string): Model {
  const names = [pathToFileURL(file).href, file];
  const own = model as unknown as Record<Guarded, ModelFunction | undefined>;
  const guarded: PropertyDescriptorMap = {};
  for (const name of Object.keys(GUARDED) as Guarded[]) {
    const fn = own[name];
    if (typeof fn !== 'function') continue;
    // Two fixed parameters (no rest array): step, hash and equal are the search's inner loop.
    const wrapper = function (this: Model, a?: unknown, b?: unknown): unknown {
      try {
        return fn.call(this, a, b);
      } catch (err) {
        throw err instanceof ModelCodeError ? err : blame(model, name, [a, b], err, path, names);
      }
    };
    guarded[name] = { value: wrapper, enumerable: true, writable: true, configurable: true };
  }
  return Object.create(model, guarded) as Model;
}

function blame(model: Model, name: Guarded, args: unknown[], err: unknown, path: string, names: string[]): ModelCodeError {
  const given = (GUARDED[name] as (m: Model, a: unknown[]) => string)(model, args);
  const line = lineIn(err, names);
  return new ModelCodeError(`${path}: ${name}() threw${given}${line ? ` at line ${line}` : ''}: ${firstLine(err)}`, `fix ${name}() in ${path}`);
}

/**
 * The line of the model file the throw came from (its innermost frame there), when the stack says: a frame
 * names the file by URL (JavaScript) or by path (TypeScript, source-mapped by tsx).
 */
function lineIn(err: unknown, names: string[]): number | undefined {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return undefined;
  for (const frame of stack.split('\n')) {
    for (const name of names) {
      const at = frame.indexOf(`${name}:`);
      if (at >= 0) return Number(/^(\d+)/.exec(frame.slice(at + name.length + 1))?.[1]) || undefined;
    }
  }
  return undefined;
}

/** `"write 3" (process 1, history index 4)`: the model's own words when its describeOp does not throw too. */
function opText(model: Model, value: unknown, describe = true): string {
  const op = value as Operation;
  const where = `(process ${String(op.process)}, history index ${op.invokeIndex})`;
  if (describe) {
    try {
      return `"${short(model.describeOp(op))}" ${where}`;
    } catch {
      // Said through its f and position instead.
    }
  }
  return `the ${op.f} ${where}`;
}

function stateText(model: Model, state: unknown): string {
  try {
    return `"${short(model.describeState(state))}"`;
  } catch {
    return typeof state === 'object' && state !== null ? '(its describeState() threw)' : short(String(state));
  }
}

/** A description cut to fit the one-line message (a state can be a whole set). */
function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
