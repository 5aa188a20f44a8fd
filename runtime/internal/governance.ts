import type { Budget, SlotRule, SlotStore } from '../governance/settings.js';
import { sleep } from './sleep.js';

/**
 * Alma's governance thresholds, per institution: at most N calls in any second (25 by default) and a daily budget.
 * Every client of one institution in a process shares one `Institution`, so they share its pace, its concurrency,
 * its budget and its daily block. Across processes, the start slots come from a shared `SlotStore` (Redis).
 * In one process, a FIFO pacer spaces the starts.
 */

/**
 * N arrivals per 1,020 ms window (20 ms for jitter at Alma), each call at least 95 % of 1000/N ms after the previous
 * one. Across processes the window is wider (their clocks and event loops add jitter) and a slot is promised at most
 * 400 ms ahead.
 */
const LOCAL_WINDOW_MS = 1020;
const CATCH_UP_MS = 4;
const SHARED_WINDOW_MS = 1040;
const SHARED_HORIZON_MS = 400;
/**
 * How late a call may start after its shared slot and still take it: a quarter of the gap, and at least 10 ms, which
 * the shared window's 20 ms over the local one absorbs (at 300 calls/s a quarter gap is under a millisecond, less
 * than a timer's own lateness, and nearly every slot was given up).
 */
const LATE_TOLERANCE_MS = 10;
const MIN_GAP = 0.95;

/**
 * Paces the callers of one institution in this process: a FIFO queue released by one timer (no busy waiting). A
 * call starts no sooner than `minGap` after the previous one (spread evenly) and no sooner than `window` after the
 * call `perWindow` places back arrived: so no sliding window of that length ever holds more than `perWindow`
 * arrivals, and a late timer costs nothing later on. When a call is answered, its time moves to the answer's: the
 * arrival was at the latest then (a cold first request can take long to leave), so the window stays safe.
 */
class Pacer {
  private readonly queue: {
    resolve: (start: { time: number }) => void;
    reject: (reason: unknown) => void;
    signal: AbortSignal | undefined;
    onAbort: () => void;
  }[] = [];
  private readonly starts: { time: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last call was due by the gap rule (at or before when it started). */
  private lastSlot = Number.NEGATIVE_INFINITY;

  constructor(private readonly rule: () => { perWindow: number; windowMs: number; minGapMs: number }) {}

  /** Resolves when the call may start, to its record: set `time` to when it was answered. */
  wait(signal: AbortSignal | undefined): Promise<{ time: number }> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<{ time: number }>((resolve, reject) => {
      const entry = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(entry);
          if (index !== -1) this.queue.splice(index, 1);
          reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
      this.queue.push(entry);
      this.release();
    });
  }

  private release(): void {
    if (this.timer || this.queue.length === 0) return;
    const { perWindow, windowMs, minGapMs } = this.rule();
    const windowStart =
      this.starts.length >= perWindow ? this.starts[this.starts.length - perWindow]!.time : Number.NEGATIVE_INFINITY;
    const now = Date.now();
    const delay = Math.max(this.lastSlot + minGapMs, windowStart + windowMs) - now;
    if (delay > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.release();
      }, Math.ceil(delay));
      return;
    }
    const next = this.queue.shift()!;
    next.signal?.removeEventListener('abort', next.onAbort);
    // The gap is kept between slots, not between timer firings: a timer that fires late (they do, by a millisecond
    // or more) lets the next call catch up at once, so that the pace is the rule's, not the rule's plus the timers'
    // lateness (at 300 calls/s that lateness alone cost a quarter of the rate). What is caught up is at most half a
    // gap and 4 ms, so a quiet spell never lets two calls go together. The window rule, on actual times, is what
    // keeps Alma's threshold.
    this.lastSlot = Math.max(this.lastSlot + minGapMs, now - Math.min(minGapMs / 2, CATCH_UP_MS));
    const start = { time: now };
    this.starts.push(start);
    if (this.starts.length > perWindow) this.starts.splice(0, this.starts.length - perWindow);
    next.resolve(start);
    this.release();
  }
}

/** A counting semaphore with a FIFO queue. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/** After a 429 the pace slows by this factor for a while. */
/**
 * When the shared store (Redis) does not answer within `STORE_TIMEOUT_MS`, the institution paces itself locally at
 * its allowance split by `fallbackWorkers` (a conservative share: the others may still be calling), warns once, and
 * asks the store again after `STORE_RETRY_MS`: a lost Redis never makes a call wait without bound, and never lets
 * calls go unpaced.
 */
const STORE_TIMEOUT_MS = 2_000;
const STORE_RETRY_MS = 5_000;

const DAY_MS = 86_400_000;
const SLOWDOWN = 1.5;
const SLOWDOWN_MS = 10_000;

export class Institution {
  readonly budget: Budget = { remaining: undefined, observedAt: undefined, blockedUntil: undefined };
  private slowUntil = 0;
  private readonly semaphore: Semaphore;
  private readonly pacer: Pacer;
  /** Retry tokens: each retry spends one, each success earns a tenth, capped; none left means no retries. */
  private retryTokens: number;
  private lowNotified = false;

  constructor(
    readonly id: string,
    readonly perSecond: number,
    maxConcurrency: number,
    private readonly store: SlotStore | undefined,
    private readonly fallbackWorkers = 4,
    private readonly retryCapacity = 10,
  ) {
    this.semaphore = new Semaphore(maxConcurrency);
    this.pacer = new Pacer(() => this.rule(LOCAL_WINDOW_MS));
    this.fallbackPacer = new Pacer(() => {
      const own = this.rule(LOCAL_WINDOW_MS);
      const share = Math.max(1, Math.floor(this.perSecond / this.fallbackWorkers));
      return { ...own, perWindow: share, minGapMs: (own.minGapMs * this.perSecond) / share };
    });
    this.retryTokens = retryCapacity;
  }

  private readonly fallbackPacer: Pacer;
  /** Until when the shared store is taken as down (0: it answers). */
  private storeDownUntil = 0;

  /** N per window, evenly spread; both wider for a while after a 429. */
  private rule(windowMs: number): Omit<SlotRule, 'horizonMs'> {
    const slow = Date.now() < this.slowUntil ? SLOWDOWN : 1;
    return { perWindow: this.perSecond, windowMs: windowMs * slow, minGapMs: (1000 / this.perSecond) * MIN_GAP * slow };
  }

  private sharedRule(): SlotRule {
    return { ...this.rule(SHARED_WINDOW_MS), horizonMs: SHARED_HORIZON_MS };
  }

  /** Waits for a concurrency place, then for the call's turn; resolves to what to call once it is answered. */
  async acquire(signal: AbortSignal | undefined): Promise<() => void> {
    const release = await this.semaphore.acquire();
    try {
      if (!Number.isFinite(this.perSecond)) return release;
      if (!this.store) {
        const start = await this.pacer.wait(signal);
        return () => {
          start.time = Date.now();
          release();
        };
      }
      const ticket = Date.now() >= this.storeDownUntil ? await this.sharedSlotOrNothing(this.store, signal) : undefined;
      if (ticket === undefined) {
        const start = await this.fallbackPacer.wait(signal);
        return () => {
          start.time = Date.now();
          release();
        };
      }
      return () => {
        release();
        // The log moves this call to its answer's time; if Redis fails here, the slot keeps its start time.
        this.store!.settle(this.id, ticket, 'answered').catch(() => undefined);
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** A shared slot, or `undefined` when the store does not answer in time (it is then left alone for a while). */
  private async sharedSlotOrNothing(store: SlotStore, signal: AbortSignal | undefined): Promise<string | undefined> {
    try {
      const ticket = await this.sharedSlot(store, signal);
      if (this.storeDownUntil !== 0) {
        this.storeDownUntil = 0;
        console.warn(
          `alma-client: the limiter's shared store answers again: institution ${this.id} shares its pace again`,
        );
      }
      return ticket;
    } catch (error) {
      if (signal?.aborted) throw error;
      const first = this.storeDownUntil === 0;
      this.storeDownUntil = Date.now() + STORE_RETRY_MS;
      if (first)
        console.warn(
          `alma-client: the limiter's shared store (Redis) is unreachable (${(error as Error).message}); institution ${this.id} ` +
            `paces itself locally at ${Math.max(1, Math.floor(this.perSecond / this.fallbackWorkers))} calls/s (its allowance split by ` +
            `${this.fallbackWorkers} workers) until it answers again`,
        );
      return undefined;
    }
  }

  /**
   * Takes a shared slot and waits for it. A call that wakes well after its slot (a busy event loop) gives it up and
   * takes a later one, so that no two calls start closer than the pace allows; a missed slot is only unused capacity.
   */
  private async sharedSlot(store: SlotStore, signal: AbortSignal | undefined): Promise<string> {
    for (let late = 0; ; ) {
      const rule = this.sharedRule();
      const answer = await withTimeout(store.reserve(this.id, rule), STORE_TIMEOUT_MS);
      if (!('ticket' in answer)) {
        // Spread the callers that were told the same time, so they do not all ask at once.
        await sleep(answer.retryInMs + Math.random() * rule.minGapMs, signal);
        continue;
      }
      const due = Date.now() + Math.max(0, answer.waitMs);
      try {
        if (answer.waitMs > 0) await sleep(answer.waitMs, signal);
      } catch (error) {
        await store.settle(this.id, answer.ticket, 'dropped').catch(() => undefined);
        throw error;
      }
      if (Date.now() - due <= Math.max(rule.minGapMs / 4, LATE_TOLERANCE_MS) || ++late >= 3) return answer.ticket;
      await store.settle(this.id, answer.ticket, 'dropped');
    }
  }

  /** A 429 came back: something else is using the institution's allowance, so go slower for a while. */
  slowDown(): void {
    this.slowUntil = Date.now() + SLOWDOWN_MS;
  }

  /** Takes a retry token; 429s need none (they are paced by the threshold itself, not by an outage). */
  spendRetry(rateLimited = false): boolean {
    if (rateLimited) return true;
    if (this.retryTokens < 1) return false;
    this.retryTokens -= 1;
    return true;
  }

  succeeded(): void {
    this.retryTokens = Math.min(this.retryCapacity, this.retryTokens + 0.1);
  }

  /** Records `X-Exl-Api-Remaining`; returns true the first time it falls to `threshold` or below. */
  observe(remaining: number | undefined, threshold: number | undefined): boolean {
    if (remaining === undefined) return false;
    this.budget.remaining = remaining;
    this.budget.observedAt = new Date();
    if (threshold === undefined || remaining > threshold) {
      this.lowNotified = false;
      return false;
    }
    if (this.lowNotified) return false;
    this.lowNotified = true;
    return true;
  }

  block(until: Date): void {
    this.budget.blockedUntil = until;
  }

  /** Whether calls must not go out: blocked until the daily reset, or at or under the caller's reserve. */
  refusal(reserve: number | undefined, now = Date.now()): 'blocked' | 'reserve' | undefined {
    if (this.budget.blockedUntil && now < this.budget.blockedUntil.getTime()) return 'blocked';
    if (this.budget.blockedUntil) this.budget.blockedUntil = undefined;
    // What Alma said before the last midnight UTC is yesterday's budget: today's is whole again.
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const current = (this.budget.observedAt?.getTime() ?? 0) >= today ? this.budget.remaining : undefined;
    if (reserve !== undefined && current !== undefined && current <= reserve) return 'reserve';
    return undefined;
  }
}

const institutions = new Map<string, Institution>();

/** The process-wide state of one institution (created with the first client's settings). */
export function institutionFor(
  id: string,
  perSecond: number,
  maxConcurrency: number,
  store: SlotStore | undefined,
  fallbackWorkers = 4,
): Institution {
  const key = `${id}\u0000${perSecond}\u0000${maxConcurrency}\u0000${store ? 'shared' : 'local'}`;
  let institution = institutions.get(key);
  if (!institution) {
    institution = new Institution(id, perSecond, maxConcurrency, store, fallbackWorkers);
    institutions.set(key, institution);
  }
  return institution;
}

/** A short, stable, non-reversible label for a key, so that state can be shared per key without keeping the key. */
export function keyLabel(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `key-${hash.toString(36)}`;
}

/** `promise`, or a rejection after `ms` (what it was waiting for goes on, and is ignored). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
