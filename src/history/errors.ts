import { UsageError } from '../core/errors.js';

/** A malformed or unreadable history (bad syntax, a completion without invoke, ...). Exit 3 in the CLI. */
export class HistoryError extends UsageError {
  constructor(message: string, readonly index?: number, fix?: string) {
    super(message, fix);
    this.name = 'HistoryError';
  }
}
