/**
 * One benchmark cell in its own process, so time and peak memory are the whole process's (load + pair +
 * check), as a user running `faultline check` would see. Prints one JSON line.
 * Usage: tsx bench/hotkey/check-cell.ts <history.jsonl> <register|search> <time-limit-s>
 */
import { loadOperations } from '../../src/history/load.js';
import { checkOperations } from '../../checker/index.js';
import { getModel } from '../../checker/models/index.js';

const [file, algorithm, limit] = process.argv.slice(2);
const started = performance.now();
const { operations } = await loadOperations(file);
const loaded = performance.now();
const result = await checkOperations(operations, getModel('cas-register'), {
  algorithm: algorithm as 'register' | 'search',
  timeLimit: Number(limit),
  maxMemory: 8 * 2 ** 30,
  workers: 0,
});
const done = performance.now();
console.log(
  JSON.stringify({
    verdict: result.valid,
    reason: result.reason,
    decidedBy: result.keys.map((k) => k.algorithm).join(','),
    ops: operations.length,
    loadMs: Math.round(loaded - started),
    checkMs: Math.round(done - loaded),
    totalMs: Math.round(done - started),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    explanation: result.counterexample?.explanation,
  }),
);
