/**
 * The data a run report hands to its in-page code, embedded as JSON in `<script id="fl-data">`.
 * Times are microseconds since the test began (history times are ns; µs keep the numbers short).
 * Ops are stored column by column so 100,000 of them stay a few MB and parse quickly.
 */
export type OpStatusCode = 0 | 1 | 2; // ok, fail, info

export interface OpColumns {
  /** Lane (row of the timeline) of each op: index into ReportData.lanes. */
  lane: number[];
  call: number[];
  /** Completion time; -1 for info/unfinished ops, whose bars extend to the end of the history. */
  ret: number[];
  status: OpStatusCode[];
  /** Index into ReportData.fNames. */
  f: number[];
  /** Index into ReportData.keys, -1 when the op has no key. */
  key: number[];
  /** "write 5", "read → 3", "cas 2→5". */
  text: string[];
  /** History index of the invoke (links the op to its raw JSONL line). */
  idx: number[];
  /** Index into ReportData.nodeNames, -1 when unknown. */
  node: number[];
  /** Index into ReportData.errors, -1 when none. */
  err: number[];
}

export interface NemesisInterval {
  /** When the fault was in effect: its start op's completion (µs since the first op). */
  start: number;
  /**
   * When the start op was invoked, if recorded. A replay reproduces this offset (the completion depends on
   * how long Docker took), so it is what the report shows as the fault's time.
   */
  invokedAt?: number;
  /** End of the fault; the end of the history when it was never healed (`open`). */
  end: number;
  /** Fault family (from the fault's description): partition, kill, pause, clock, disk, ...; the raw f for unknown faults. */
  kind: string;
  /** The family's colour, #rrggbb. */
  color: string;
  /** Timeline row: faults active at the same time have rows of their own. */
  row: number;
  /** What was done, in words: "partition n1 n2 | n3 n4 n5", "kill n3", "clock n2 +5s". */
  label: string;
  open: boolean;
}

export interface CounterexampleStep {
  /** Row in OpColumns, or -1 when the op is not in the recorded history. */
  op: number;
  text: string;
  process: string;
  state: string;
}

export interface CounterexampleData {
  key: string | null;
  explanation: string;
  /** Row of the op that cannot be placed (-1 when unknown). */
  failing: number;
  failingText: string;
  /** Rows of the minimal non-linearizable sub-history. */
  minimal: number[];
  /** The longest partial linearization, in order, with the state after each op. */
  steps: CounterexampleStep[];
  /** Time span covering the minimal sub-history (µs). */
  span: [number, number];
}

export interface ReportData {
  /** valid | invalid | unknown | empty | crashed | error */
  state: string;
  /** End of the history (µs): the last recorded time. */
  end: number;
  lanes: string[];
  fNames: string[];
  keys: string[];
  nodeNames: string[];
  errors: string[];
  ops: OpColumns;
  nemesis: NemesisInterval[];
  counterexample: CounterexampleData | null;
}
