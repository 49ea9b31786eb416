/**
 * Jepsen process semantics: worker thread t starts as process t; when one of its ops ends in `info`
 * (outcome unknown, it may still take effect later) that process is considered crashed forever and the
 * thread continues as process `old + concurrency`, so no process ever has two ops in flight.
 */
export class ProcessTable {
  private readonly current: number[];

  constructor(readonly concurrency: number) {
    this.current = Array.from({ length: concurrency }, (_, t) => t);
  }

  process(thread: number): number {
    return this.current[thread];
  }

  /** Retires the thread's process after an info completion; returns the fresh process id. */
  crash(thread: number): number {
    this.current[thread] += this.concurrency;
    return this.current[thread];
  }

  /** Highest process id handed out so far (final reads use ids above it). */
  maxProcess(): number {
    return Math.max(...this.current);
  }
}

/** Workers are bound to nodes round-robin: thread t talks to nodes[t mod n]. */
export function nodeForThread(thread: number, nodes: readonly string[]): string {
  return nodes[thread % nodes.length];
}
