/**
 * The files of one stored run, `store/<test-name>/<timestamp>/` (published as JSON Schemas in schemas/,
 * generated from src/run/schemas.ts; the README's "Run directory" section describes them):
 *   test.json       RunInfo (written at start, updated at the end)
 *   history.jsonl   HistoryOp per line, client and nemesis ops, appended as they happen
 *   results.json    RunResults (after the check)
 *   node-logs/<node>.log, junit.xml, report.html
 * The pipeline writes them; `faultline check|report <run-dir>` and the report read them.
 */
import type { CheckResult, Verdict } from '../../checker/types.js';

export interface RunInfo {
  /** Absent in files written before versioning (version 0). */
  schemaVersion?: number;
  /** Version of the history.jsonl lines beside this file (absent = 0). */
  historySchemaVersion?: number;
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
  /** faultline, node, docker (engine version), target when known. */
  versions: { faultline: string; node: string; docker?: string; target?: string; [k: string]: string | undefined };
  /** image tag -> what the engine reported for it (a plain id string in version 0 files). */
  images: Record<string, ImageRecord | string>;
  nodes: string[];
  /** Faults the target cannot feel (e.g. clock on Go binaries), reported as "not affected". */
  unaffected?: string[];
  /** The CI system the run was made in (ci-info's name), when one was detected. */
  ci?: { name: string | null; isPR: boolean | null };
}

export interface ImageRecord {
  /** sha256:... */
  id: string;
  /** repo@sha256:... registry digests; empty for images built here and never pushed. */
  digests: string[];
  created?: string;
}

export interface RunResults {
  /** Absent in files written before versioning (version 0). */
  schemaVersion?: number;
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
    /** per f, plus "all": latency of ok and fail ops in ms (absent in older files). */
    latencyMs?: Record<string, { count: number; p50: number; p99: number; max: number }>;
  };
  /** Set when the run itself failed (exit 3): why. */
  error?: string;
}
