import type { Operation } from '../src/history/types.js';
import { KeySearch, type KeyCheckBudget } from './check-key.js';
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
 */
export async function interleaveSearches(
  model: Model,
  jobs: SearchJob[],
  budget: KeyCheckBudget,
  control: InterleaveControl,
): Promise<SearchJob[]> {
  let open = [...jobs]
    .sort((a, b) => a.ops.length - b.ops.length || a.index - b.index)
    .map((job) => ({ job, search: new KeySearch(model, job.key, job.ops, budget) }));
  let slice = FIRST_SLICE_MS;
  while (open.length > 0) {
    const still: typeof open = [];
    for (let k = 0; k < open.length; k++) {
      const { job, search } = open[k];
      const result = search.run(open.length === 1 && !control.stopped ? Infinity : Date.now() + slice);
      if (result) {
        if (control.onResult(job, result)) return [...still, ...open.slice(k + 1)].map((o) => o.job);
      } else {
        still.push(open[k]);
      }
      // Let other work in (worker replies, a stop) between slices; a lone key with nothing to wait for runs to the end.
      if (open.length > 1 || control.stopped) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (control.stopped?.()) return [...still, ...open.slice(k + 1)].map((o) => o.job);
      }
    }
    open = still;
    if (control.handOff && open.length > 1) {
      const given = new Set(control.handOff(open.map((o) => ({ job: o.job, statesExplored: o.search.statesExplored }))));
      if (given.size > 0) open = open.filter((o) => !given.has(o.job));
    }
    slice = Math.min(slice * 2, MAX_SLICE_MS);
  }
  return [];
}
