/**
 * The files of one stored run, `store/<test-name>/<timestamp>/` (see ARCHITECTURE.md):
 *   test.json       RunInfo (written at start, updated at the end)
 *   history.jsonl   HistoryOp per line, client and nemesis ops, appended as they happen
 *   results.json    RunResults (after the check)
 *   node-logs/<node>.log, junit.xml, report.html
 * The pipeline writes them; `faultline check|report <run-dir>` and the report read them.
 */
import type { CheckResult, Verdict } from '../../checker/types.js';

export interface RunInfo {
  /** e.g. "raftkv-register-partition" */
  name: string;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the run ended (absent while running or after a controller crash). */
  endedAt?: string;
  /** The exact command that reproduces the run (with --seed). */
  command: string;
  seed: number;
  config: {
    target: string;
    workload: string;
    nemesis: string[];
    nodes: number;
    concurrency: number;
    rate: number;
    timeLimit: number;
    nemesisInterval: number;
    targetOptions: Record<string, string>;
    [extra: string]: unknown;
  };
  /** Model the workload's history is checked with. */
  model: string;
  versions: { faultline: string; node: string; target?: string; [k: string]: string | undefined };
  /** image tag -> image id/digest */
  images: Record<string, string>;
  nodes: string[];
  /** Faults the target cannot feel (e.g. clock on Go binaries), reported as "not affected". */
  unaffected?: string[];
}

export interface RunResults {
  valid: Verdict;
  /** Linearizability result from the checker. */
  linearizability: CheckResult;
  /** Extra workload checks (set: lost / unexpected elements ...), each with its own verdict. */
  workloadChecks?: { name: string; valid: Verdict; details: unknown }[];
  stats: {
    ok: number;
    fail: number;
    info: number;
    /** per f: { ok, fail, info } */
    byF: Record<string, { ok: number; fail: number; info: number }>;
    nemesisEvents: number;
    durationMs: number;
    checkMs: number;
  };
  /** Set when the run itself failed (exit 3): why. */
  error?: string;
}
