/** The pairer lives in src/history (one reader and pairer for the checker, the report and the benchmarks). */
export { HistoryError } from '../src/history/errors.js';
export { OperationPairer, pairOperations, type DescribePosition } from '../src/history/pair.js';
