import type { OperationSpec } from './operation.js';

/** One entry of Alma's `errorList`. */
export interface AlmaErrorDetail {
  code: string;
  message: string;
  trackingId?: string;
}

/** Codes the API gateway and the backend use besides an operation's own numeric codes. */
export type GatewayErrorCode =
  | 'GENERAL_ERROR'
  | 'UNAUTHORIZED'
  | 'INVALID_REQUEST'
  | 'PER_SECOND_THRESHOLD'
  | 'DAILY_THRESHOLD'
  | 'REQUEST_TOO_LARGE'
  | 'FORBIDDEN'
  | 'ROUTING_ERROR'
  | 'INTERNAL_SERVER_ERROR'
  /** No code in the body (an HTML page, plain text, an empty body): the HTTP status. */
  | `HTTP_${number}`;

/** The codes an operation can fail with: the ones its spec lists, and the gateway's. */
export type ErrorCodeOf<O> = O extends { readonly errorCodes: readonly (infer C extends string)[] }
  ? C | GatewayErrorCode
  : GatewayErrorCode;

/** Something went wrong calling Alma. Every error this client throws is one. */
export class AlmaError extends Error {
  override readonly name: string = 'AlmaError';
}

/** The client was set up in a way that cannot work (no Alma named, no key for an area): nothing was sent. */
export class AlmaConfigError extends AlmaError {
  override readonly name = 'AlmaConfigError';
}

/**
 * The client was told which Alma environment to expect (`environment`), and the one its key reaches is another: the
 * write was refused before it was sent.
 */
export class AlmaEnvironmentError extends AlmaError {
  override readonly name = 'AlmaEnvironmentError';
  constructor(
    readonly operation: string,
    readonly expected: string,
    readonly actual: string,
    readonly institution: string | undefined,
  ) {
    super(
      `${operation} was not sent: the client expects the ${expected} environment, but its key reaches ${actual}` +
        `${institution ? ` (institution ${institution})` : ''}; check the key and the base URL, or set environment`,
    );
  }
}

interface ApiErrorInit {
  status: number;
  errors: AlmaErrorDetail[];
  operation: string;
  method: string;
  /** The request URL with any API key removed. */
  url: string;
  /** Text of a body that had no Alma error structure (an HTML page, plain text), shortened. */
  bodyText?: string;
  /** The answer's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
}

/** Alma answered with an error (HTTP 4xx or 5xx). */
export class AlmaApiError<Code extends string = string> extends AlmaError {
  override readonly name: string = 'AlmaApiError';
  readonly status: number;
  /** The first error code, e.g. `401861`; `HTTP_<status>` when the body had none. */
  readonly code: Code;
  /** Every error in the body. */
  readonly errors: AlmaErrorDetail[];
  /** The first error's tracking id, for Ex Libris support. */
  readonly trackingId: string | undefined;
  /** The exported function that made the call, e.g. `getUser`. */
  readonly operation: string;
  readonly method: string;
  /** The request URL with any API key removed. */
  readonly url: string;
  /** How long Alma asked to wait (`Retry-After`), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    const first = init.errors[0];
    const detail = first
      ? `${first.code}: ${first.message}`
      : init.bodyText
        ? init.bodyText
        : 'no error details in the body';
    // Status 0: refused by the client itself (the daily budget is known to be spent), so nothing was sent.
    super(
      init.status === 0
        ? `${init.operation} was not sent: ${detail} (${init.method} ${init.url})`
        : `${init.operation} failed with HTTP ${init.status} (${detail}) on ${init.method} ${init.url}`,
    );
    this.status = init.status;
    this.code = (first?.code ?? `HTTP_${init.status}`) as Code;
    this.errors = init.errors;
    this.trackingId = first?.trackingId;
    this.operation = init.operation;
    this.method = init.method;
    this.url = init.url;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * The key was refused (UNAUTHORIZED, FORBIDDEN, HTTP 401 or 403): wrong key, wrong plan, or a plan change not yet
 * live.
 */
export class AlmaAuthError<Code extends string = string> extends AlmaApiError<Code> {
  override readonly name: string = 'AlmaAuthError';
}

/** Over the per-second threshold (HTTP 429, PER_SECOND_THRESHOLD). The request was not processed: retrying is safe. */
export class AlmaRateLimitError<Code extends string = string> extends AlmaApiError<Code> {
  override readonly name: string = 'AlmaRateLimitError';
}

/** The institution's daily API budget is spent: every call fails until `resetAt` (midnight UTC). */
export class AlmaDailyLimitError<Code extends string = string> extends AlmaApiError<Code> {
  override readonly name: string = 'AlmaDailyLimitError';
  readonly resetAt: Date;

  constructor(init: ApiErrorInit, now = new Date()) {
    super(init);
    this.resetAt = nextMidnightUtc(now);
  }
}

/** The entity does not exist: HTTP 404, or HTTP 400 with a code the operation's spec lists as "not found". */
export class AlmaNotFoundError<Code extends string = string> extends AlmaApiError<Code> {
  override readonly name: string = 'AlmaNotFoundError';
}

/** Alma or its gateway failed (HTTP 5xx). */
export class AlmaServerError<Code extends string = string> extends AlmaApiError<Code> {
  override readonly name: string = 'AlmaServerError';
}

/** The call took longer than its timeout and was abandoned. */
export class AlmaTimeoutError extends AlmaError {
  override readonly name: string = 'AlmaTimeoutError';
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} timed out after ${timeoutMs} ms on ${method} ${url}`);
  }
}

/** The caller aborted the call through its signal. */
export class AlmaAbortError extends AlmaError {
  override readonly name: string = 'AlmaAbortError';
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(`${operation} was aborted on ${method} ${url}`);
  }
}

/** The request could not be sent or its answer not received (DNS, refused or reset connection, TLS). */
export class AlmaNetworkError extends AlmaError {
  override readonly name: string = 'AlmaNetworkError';
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly url: string,
    /** The underlying error code, e.g. `ECONNREFUSED`, when there is one. */
    readonly causeCode: string | undefined,
    causeMessage: string,
  ) {
    super(`${operation} could not reach Alma (${causeCode ?? causeMessage}) on ${method} ${url}`);
  }
}

/**
 * A POST may or may not have been processed: the connection broke (or the call timed out) after the request was
 * sent. It is not retried, because Alma has no idempotency keys and a second POST can create a second loan or fee:
 * check the record (e.g. list the user's loans) before trying again.
 */
export class AlmaOutcomeUnknownError extends AlmaError {
  override readonly name: string = 'AlmaOutcomeUnknownError';
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  constructor(readonly reason: AlmaTimeoutError | AlmaNetworkError) {
    super(
      `${reason.operation} (${reason.method}) may or may not have been processed: ${reason.message}. ` +
        'It was not retried; check the record before trying again',
    );
    this.operation = reason.operation;
    this.method = reason.method;
    this.url = reason.url;
  }
}

/** Alma answered, but the body could not be read as what the operation returns. */
export class AlmaDecodeError extends AlmaError {
  override readonly name: string = 'AlmaDecodeError';
  constructor(
    readonly operation: string,
    readonly url: string,
    problem: string,
  ) {
    super(`${operation}: ${problem} (${url})`);
  }
}

/** A write (POST, PUT, DELETE) refused locally because the client is `readOnly`; nothing was sent. */
export class AlmaReadOnlyError extends AlmaError {
  override readonly name: string = 'AlmaReadOnlyError';
  constructor(
    readonly operation: string,
    readonly method: string,
    /** Why: the client's `readOnly`, or a key marked read-only (named by its area or label, never the key). */
    reason = 'the client is read-only (readOnly: true), for read-only API keys and the guest sandbox',
  ) {
    super(`${operation} (${method}) was not sent: ${reason}`);
  }
}

/**
 * Whether `error` is an error answer from Alma; with an operation, whether that operation raised it, narrowing
 * `error.code` to the codes its spec lists and the gateway's:
 *
 * ```ts
 * if (isAlmaError(err, getUserOperation) && err.code === '401861') …
 * ```
 */
export function isAlmaError<const O extends OperationSpec>(
  error: unknown,
  operation?: O,
): error is AlmaApiError<ErrorCodeOf<O>> {
  return error instanceof AlmaApiError && (operation === undefined || error.operation === operation.name);
}

export function nextMidnightUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/**
 * The record changed between the read an update started from and the write (another person or job saved it): the
 * write was not sent, so the other change is not lost. Carries both versions.
 */
export class AlmaConflictError extends AlmaError {
  override readonly name = 'AlmaConflictError';
  constructor(
    readonly operation: string,
    /** The record as the update read it first, and as it is now. */
    readonly before: unknown,
    readonly current: unknown,
    /** How many times the edit was applied to a fresh record before giving up. */
    readonly tries: number,
  ) {
    super(
      `${operation} was not sent: the record changed since it was read (another writer saved it)` +
        (tries > 1 ? `, ${tries} times in a row` : '') +
        '; read it again and re-apply the change (the default, `onConflict: "reapply"`), or compare `before` and `current`',
    );
  }
}

/**
 * Alma stored something other than what was sent: fields the update set are missing or altered in the record the
 * write returned (beyond what Alma always rewrites). The write happened; `fields` names what did not stick.
 */
export class AlmaVerifyError extends AlmaError {
  override readonly name = 'AlmaVerifyError';
  constructor(
    readonly operation: string,
    /** The fields that did not stick, as a MARC display writes them (`- 650 _0 $a Cats`: sent, not stored). */
    readonly fields: string[],
    readonly sent: unknown,
    readonly stored: unknown,
  ) {
    super(
      `${operation} succeeded but Alma did not store what was sent: ${fields.join('; ')}. ` +
        'Check the record in Alma (a normalization rule or a merge routine may have changed it); nothing was retried',
    );
  }
}
