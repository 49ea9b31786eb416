/**
 * The history format shared by every part of Faultline (published as schemas/history-op.schema.json,
 * generated from src/run/schemas.ts; the README's CI section says how it is versioned). The types live in
 * the public core, so a user's workload or model and the readers here mean the same thing by an op.
 */
export type { HistoryOp, Operation, OpType, ProcessId } from '../core/history.js';
