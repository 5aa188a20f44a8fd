/** One entry of Alma's `errorList`. */
export interface AlmaErrorDetail {
  code: string;
  message: string;
  trackingId?: string;
}

/** An error answer from Alma (HTTP 4xx or 5xx). */
export class AlmaApiError extends Error {
  override readonly name: string = 'AlmaApiError';
  /** The first error code, e.g. `401861`, or the HTTP status as a string when the body had none. */
  readonly code: string;
  readonly trackingId: string | undefined;

  constructor(
    readonly status: number,
    readonly errors: AlmaErrorDetail[],
    readonly operation: string,
    readonly method: string,
    /** The request URL without any API key. */
    readonly url: string,
  ) {
    const first = errors[0];
    super(`${operation}: HTTP ${status}${first ? ` ${first.code}: ${first.message}` : ''} (${method} ${url})`);
    this.code = first?.code ?? String(status);
    this.trackingId = first?.trackingId;
  }
}
