import {
  AlmaApiError,
  AlmaAuthError,
  AlmaDailyLimitError,
  AlmaNotFoundError,
  AlmaRateLimitError,
  AlmaServerError,
  type AlmaErrorDetail,
} from '../errors.js';
import type { OperationSpec } from '../operation.js';

// The gateway's own answers are not in the specs (no descriptor can carry them), and its daily-limit answer has come
// as HTML or plain text without the code: the runtime knows this one message itself.
const DAILY_MESSAGE = /daily api request threshold/i;

/** The error class for an error answer: the most specific that fits, daily limit first (it can come as a 429). */
export function classifyError(
  operation: OperationSpec,
  init: { status: number; errors: AlmaErrorDetail[]; url: string; bodyText?: string },
  now: Date,
): AlmaApiError {
  const full = { ...init, operation: operation.name, method: operation.method };
  const codes = init.errors.map((e) => e.code);
  const has = (code: string) => codes.includes(code);
  if (
    has('DAILY_THRESHOLD') ||
    init.errors.some((e) => DAILY_MESSAGE.test(e.message)) ||
    DAILY_MESSAGE.test(init.bodyText ?? '')
  ) {
    return new AlmaDailyLimitError(full, now);
  }
  if (has('PER_SECOND_THRESHOLD') || init.status === 429) return new AlmaRateLimitError(full);
  if (has('UNAUTHORIZED') || has('FORBIDDEN') || init.status === 401 || init.status === 403)
    return new AlmaAuthError(full);
  if (init.status === 404 || (init.status === 400 && codes.some((c) => operation.notFoundCodes?.includes(c))))
    return new AlmaNotFoundError(full);
  if (init.status >= 500) return new AlmaServerError(full);
  return new AlmaApiError(full);
}
