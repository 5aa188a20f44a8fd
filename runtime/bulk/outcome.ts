import { AlmaApiError, AlmaDailyLimitError, AlmaOutcomeUnknownError, AlmaReadOnlyError } from '../errors.js';

/** What an item's writes came to while its action ran (seen through the client the run gives the action). */
export interface WriteTrace {
  /** A write was about to be sent (and recorded as `sent`). */
  sent: boolean;
  /** A write was answered with success: Alma made it. */
  made: boolean;
}

/**
 * How an item ended, from what its action threw and what its writes came to:
 * - `paused`: the daily budget (Alma's DAILY_THRESHOLD, or the client's reserve) refused a call before any write of
 *   the item was made: the item is done again after the reset;
 * - `unknown`: a write was sent and its answer lost, or the budget stopped the item after one of its writes was made:
 *   it may be partly done, and only `reconcile` can tell;
 * - `would-write` (a dry run): the action tried a write, which the read-only client refused;
 * - `failed`: anything else, with Alma's code (or the error's name) and message.
 */
export type ItemEnd =
  | { kind: 'paused'; resetAt: Date }
  | { kind: 'unknown'; message: string }
  | { kind: 'would-write'; operation: string }
  | { kind: 'failed'; code: string; message: string };

export function itemEnd(error: unknown, writes: WriteTrace, dryRun: boolean): ItemEnd {
  if (error instanceof AlmaDailyLimitError)
    return writes.made
      ? { kind: 'unknown', message: `stopped by the daily limit after a write was made: ${error.message}` }
      : { kind: 'paused', resetAt: error.resetAt };
  if (error instanceof AlmaOutcomeUnknownError) return { kind: 'unknown', message: error.message };
  if (dryRun && error instanceof AlmaReadOnlyError) return { kind: 'would-write', operation: error.operation };
  if (error instanceof AlmaApiError) return { kind: 'failed', code: error.code, message: error.message };
  const named = error instanceof Error ? error : new Error(String(error));
  return { kind: 'failed', code: named.name, message: named.message };
}
