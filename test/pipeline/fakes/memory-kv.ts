/**
 * A trivial in-process KV for pipeline tests and the harness bench. `linearizable` applies each op
 * atomically at one instant between call and return. `stale` serves reads on every node but the first
 * from a snapshot refreshed only every `staleMs`, so reads can miss acknowledged writes: a history the
 * checker must reject.
 */
import { ClientError, type CallOptions as ClientCallOptions, type KvClient, type RegisterValue } from '../../../src/index.js';

export type KvMode = 'linearizable' | 'stale';

export class MemoryKv {
  readonly data = new Map<string, RegisterValue>();
  private snapshot = new Map<string, RegisterValue>();
  private snapshotAt = 0;
  opsApplied = 0;

  constructor(readonly mode: KvMode = 'linearizable', private readonly staleMs = 50) {}

  read(node: string, key: string): RegisterValue {
    this.opsApplied++;
    if (this.mode === 'stale' && node !== 'n1') {
      const now = Date.now();
      if (now - this.snapshotAt > this.staleMs) {
        this.snapshot = new Map(this.data);
        this.snapshotAt = now;
      }
      return this.snapshot.get(key) ?? null;
    }
    return this.data.get(key) ?? null;
  }

  write(key: string, value: RegisterValue): void {
    this.opsApplied++;
    this.data.set(key, value);
  }

  cas(key: string, from: RegisterValue, to: RegisterValue): boolean {
    this.opsApplied++;
    if ((this.data.get(key) ?? null) !== from) return false;
    this.data.set(key, to);
    return true;
  }

  append(key: string, suffix: string): void {
    this.opsApplied++;
    this.data.set(key, String(this.data.get(key) ?? '') + suffix);
  }
}

/** A KvClient calling the MemoryKv directly (after a microtask-ish yield so ops really overlap). */
export class DirectKvClient implements KvClient {
  constructor(
    private readonly kv: MemoryKv,
    private readonly node: string,
    /** Throws instead of answering, e.g. when the fake cluster has the node paused or killed. */
    private readonly gate: (node: string) => void = () => undefined,
  ) {}

  private async step<T>(fn: () => T): Promise<T> {
    await Promise.resolve();
    this.gate(this.node);
    const result = fn();
    await Promise.resolve();
    return result;
  }

  read(key: string, _opts: ClientCallOptions) {
    return this.step(() => this.kv.read(this.node, key));
  }
  write(key: string, value: RegisterValue, _opts: ClientCallOptions) {
    return this.step(() => this.kv.write(key, value));
  }
  cas(key: string, from: RegisterValue, to: RegisterValue, _opts: ClientCallOptions) {
    return this.step(() => {
      if (!this.kv.cas(key, from, to)) throw new ClientError('cas: current value differs', true, 'cas-mismatch');
    });
  }
  append(key: string, value: string, _opts: ClientCallOptions) {
    return this.step(() => this.kv.append(key, value));
  }
  async close() {}
}
