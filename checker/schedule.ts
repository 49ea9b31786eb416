import { getHeapStatistics } from 'node:v8';
import type { Operation } from '../src/history/types.js';
import { KeySearch, type KeyCheckBudget } from './check-key.js';
import { heapInUse } from './search/wgl.js';
import type { KeyResult, Model } from './types.js';

/** One key to search; `index` is its position in the caller's list, so results can be put back in order. */
export interface SearchJob {
  index: number;
  key: string | null;
  ops: Operation[];
}

/** The first slice each key gets; each round doubles it, up to MAX_SLICE_MS. */
const FIRST_SLICE_MS = 4;
const MAX_SLICE_MS = 1000;

export interface InterleaveControl {
  /** Called as each key is decided; returning true ends the whole interleaving (the history is decided). */
  onResult(job: SearchJob, result: KeyResult): boolean;
  /** Polled between slices: true when something else (another thread) has decided the history. */
  stopped?(): boolean;
  /**
   * Polled between slices with the undecided keys and how far each got: returns the keys to give away
   * (to worker threads); this thread forgets them and goes on with the rest.
   */
  handOff?(open: { job: SearchJob; statesExplored: number }[]): SearchJob[];
}

/**
 * Searches keys interleaved, so a hard key cannot starve an easy one: in rounds, every undecided key gets a
 * time slice that doubles each round (4 ms, 8 ms, ... 1 s), smaller keys first, and each search resumes
 * where it stopped (nothing is redone). A key that decides in 10 ms is decided within the first rounds
 * whatever the other keys cost, so the first invalid key ends the check. Returns the jobs left undecided
 * when it was ended early.
 *
 * Suspended searches keep their caches, so many hard keys at once could hold far more memory than one at a
 * time. Past half the memory budget the others' searches are dropped (each restarts from scratch when its
 * turn comes) and the keys left are searched one after the other, as before interleaving existed.
 */
export async function interleaveSearches(
  model: Model,
  jobs: SearchJob[],
  budget: KeyCheckBudget,
  control: InterleaveControl,
): Promise<SearchJob[]> {
  type Open = { job: SearchJob; search?: KeySearch };
  let open: Open[] = [...jobs].sort((a, b) => a.ops.length - b.ops.length || a.index - b.index).map((job) => ({ job }));
  const pressure = (budget.maxHeapBytes ?? heapLimit() * 0.75) / 2;
  let oneByOne = false;
  let slice = FIRST_SLICE_MS;
  while (open.length > 0) {
    const still: Open[] = [];
    for (let k = 0; k < open.length; k++) {
      const item = open[k];
      if (!oneByOne && open.length > 1 && heapInUse() > pressure) {
        oneByOne = true;
        for (const other of open) if (other !== item) other.search = undefined;
      }
      item.search ??= new KeySearch(model, item.job.key, item.job.ops, budget);
      const alone = (open.length === 1 || oneByOne) && !control.stopped;
      const result = item.search.run(alone ? Infinity : Date.now() + (oneByOne ? MAX_SLICE_MS : slice));
      if (result) {
        await item.search.complete(result);
        item.search = undefined;
        if (control.onResult(item.job, result)) return [...still, ...open.slice(k + 1)].map((o) => o.job);
      } else {
        still.push(item);
      }
      // Let other work in (worker replies, a stop) between slices; a lone key with nothing to wait for runs to the end.
      if (open.length > 1 || control.stopped) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (control.stopped?.()) return [...still, ...open.slice(k + 1)].map((o) => o.job);
      }
    }
    open = still;
    if (control.handOff && open.length > 1) {
      const given = new Set(control.handOff(open.map((o) => ({ job: o.job, statesExplored: o.search?.statesExplored ?? 0 }))));
      if (given.size > 0) open = open.filter((o) => !given.has(o.job));
    }
    slice = Math.min(slice * 2, MAX_SLICE_MS);
  }
  return [];
}

function heapLimit(): number {
  return getHeapStatistics().heap_size_limit;
}
