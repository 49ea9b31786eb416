import type { Operation } from '../../src/history/types.js';

/**
 * Builds an Operation for tests: times double as raw history indices, so give every call and return a
 * distinct integer. `ret` undefined (or status 'info') means the op never completed.
 */
export function op(
  id: number,
  process: number,
  f: string,
  input: unknown,
  output: unknown,
  call: number,
  ret: number | undefined,
  status: Operation['status'] = ret === undefined ? 'info' : 'ok',
  key?: string,
): Operation {
  const o: Operation = {
    id,
    process,
    f,
    input,
    output: status === 'ok' ? output : undefined,
    status,
    call,
    ret: status === 'info' || ret === undefined ? Infinity : ret,
    invokeIndex: call,
  };
  if (ret !== undefined) o.completeIndex = ret;
  if (key !== undefined) o.key = key;
  return o;
}

/** Compact register ops: w(v), r(v), cas(from, to) with [call, ret] and optional status/key. */
export class OpList {
  readonly ops: Operation[] = [];
  private add(p: number, f: string, input: unknown, output: unknown, call: number, ret?: number, status?: Operation['status'], key?: string) {
    this.ops.push(op(this.ops.length, p, f, input, output, call, ret, status ?? (ret === undefined ? 'info' : 'ok'), key));
    return this;
  }
  w(p: number, v: unknown, call: number, ret?: number, status?: Operation['status'], key?: string) {
    return this.add(p, 'write', v, v, call, ret, status, key);
  }
  r(p: number, v: unknown, call: number, ret?: number, status?: Operation['status'], key?: string) {
    return this.add(p, 'read', null, v, call, ret, status, key);
  }
  cas(p: number, from: unknown, to: unknown, call: number, ret?: number, status?: Operation['status'], key?: string) {
    return this.add(p, 'cas', [from, to], [from, to], call, ret, status, key);
  }
  f(p: number, f: string, input: unknown, output: unknown, call: number, ret?: number, status?: Operation['status']) {
    return this.add(p, f, input, output, call, ret, status);
  }
}
