import {
  AlmaDailyLimitError,
  AlmaNetworkError,
  AlmaOutcomeUnknownError,
  AlmaRateLimitError,
  AlmaServerError,
  AlmaTimeoutError,
} from '../errors.js';
import type { HttpMethod } from '../operation.js';
import type { RetryOptions } from '../governance/settings.js';

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  repeatWrites: true,
};

/**
 * Methods Alma applies once however often they arrive (PUT is swap-all; DELETE of a deleted record fails
 * harmlessly).
 */
const REPEATABLE: HttpMethod[] = ['GET', 'PUT', 'DELETE'];

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error: unknown };

/**
 * Whether to try again after `error`:
 * - over the per-second threshold (429): always, for every method: the request was not processed;
 * - the daily budget spent: never;
 * - 5xx, timeouts, network errors: for GET, PUT, DELETE;
 * - POST (and every write without `repeatWrites`): only when the connection was refused (the request never left). A
 *   POST that may have reached Alma (reset, timeout) becomes `AlmaOutcomeUnknownError`: Alma has no idempotency
 *   keys, and a blind retry can make a second loan or fee.
 */
export function retryDecision(
  error: unknown,
  method: HttpMethod,
  attempt: number,
  options: Required<RetryOptions>,
  random = Math.random,
): RetryDecision {
  const unknownOutcome =
    (method === 'POST' || (!options.repeatWrites && method !== 'GET')) &&
    (error instanceof AlmaTimeoutError || (error instanceof AlmaNetworkError && error.causeCode !== 'ECONNREFUSED'));
  if (unknownOutcome)
    return { retry: false, error: new AlmaOutcomeUnknownError(error as AlmaTimeoutError | AlmaNetworkError) };
  if (attempt >= options.maxAttempts || error instanceof AlmaDailyLimitError) return { retry: false, error };
  const retryable =
    error instanceof AlmaRateLimitError ||
    (error instanceof AlmaNetworkError && (REPEATABLE.includes(method) || error.causeCode === 'ECONNREFUSED')) ||
    ((error instanceof AlmaServerError || error instanceof AlmaTimeoutError) && REPEATABLE.includes(method));
  if (!retryable) return { retry: false, error };
  const backoff = random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const retryAfter =
    error instanceof AlmaRateLimitError || error instanceof AlmaServerError ? error.retryAfterMs : undefined;
  return { retry: true, delayMs: Math.max(backoff, Math.min(retryAfter ?? 0, options.maxRetryAfterMs)) };
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
