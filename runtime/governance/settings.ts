// The governance settings a client takes (see `ClientOptions`): the shared slot store, the budget it reports, and
// how it retries. Their workings are private (`internal/governance.ts`, `internal/retry.ts`).

/** How starts are spaced: at most `perWindow` in any `windowMs`, each at least `minGapMs` after the previous one. */
export interface SlotRule {
  perWindow: number;
  windowMs: number;
  minGapMs: number;
  /** How far ahead a slot may be promised: later ones wait for answers that could still move the window. */
  horizonMs: number;
}

/** Hands out request start times to every caller of one institution, across processes (see `redisSlotStore`). */
export interface SlotStore {
  /** Asks for a start slot: granted, with how long to wait for it; or not yet, with when to ask again. */
  reserve(institution: string, rule: SlotRule): Promise<{ ticket: string; waitMs: number } | { retryInMs: number }>;
  /** The call holding `ticket` was answered (it arrived at the latest now), or gave its slot up unused. */
  settle(institution: string, ticket: string, outcome: 'answered' | 'dropped'): Promise<void>;
}

/** What the client knows of the institution's daily budget, from `X-Exl-Api-Remaining`. */
export interface Budget {
  /** Calls left today, as Alma last said. */
  remaining: number | undefined;
  observedAt: Date | undefined;
  /** When calls are refused until (midnight UTC) after Alma said the budget is spent. */
  blockedUntil: Date | undefined;
}

/** How a client retries a call Alma answered with 429, 5xx, or not at all. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 4. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time up to base × 2^(n−1), capped. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff. Default 8 000 ms. */
  maxDelayMs?: number;
  /** Cap of a `Retry-After` wait. Default 30 000 ms. */
  maxRetryAfterMs?: number;
  /**
   * Whether a PUT or DELETE whose answer was lost (a reset, a timeout) is sent again. Default true: Alma applies
   * them once however often they arrive. A bulk run turns it off, so that such a write becomes
   * `AlmaOutcomeUnknownError` and goes to its `reconcile` instead of reaching a record twice.
   */
  repeatWrites?: boolean;
}
