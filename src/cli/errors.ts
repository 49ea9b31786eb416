/** Transition re-export: UsageError and EXIT live in src/core (the public core). */
export { EXIT, UsageError } from '../core/errors.js';
