import type { IncomingMessage } from 'node:http';
import type { Plan } from './settings.js';

/** An API key's account: what it may do, and the institution whose thresholds it counts against. */
export interface Account {
  plan: Plan;
  institution: string;
}

/** An answer instead of the call: Alma's error, with the calls left today when Alma would say them. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  remaining: number | undefined;
  /** Alma answers an unknown key in XML whatever Accept says. */
  format?: 'xml';
}

/**
 * Alma's API gateway as the mock plays it: the API key (header or query), and each institution's thresholds (calls
 * per second, calls per day), counted before the call is routed.
 */
export class Gateway {
  private readonly used = new Map<string, { day: string; count: number; window: number[] }>();

  constructor(
    readonly keys: ReadonlyMap<string, Account>,
    readonly limits: { perSecond: number; daily: number },
  ) {}

  /** The account of the request's key, and where the key came. */
  account(
    req: IncomingMessage,
    query: URLSearchParams,
  ): { account: Account | Refusal; keyMode: 'header' | 'query' | 'none' } {
    const headerKey = /^apikey\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const queryKey = query.get('apikey') ?? undefined;
    const keyMode = headerKey ? 'header' : queryKey ? 'query' : 'none';
    const account = this.keys.get(headerKey ?? queryKey ?? '');
    if (account) return { account, keyMode };
    const message = 'API-key not defined or not configured to allow this API.';
    return { account: { status: 401, code: 'UNAUTHORIZED', message, remaining: undefined, format: 'xml' }, keyMode };
  }

  /** Counts a call against its institution: the calls left today, or the 429 of the threshold it is over. */
  admit(institution: string): { remaining: number } | Refusal {
    const usage = this.usageOf(institution);
    const { daily, perSecond } = this.limits;
    if (usage.count >= daily) {
      const message =
        'Daily API Request Threshold has been reached. For details see: https://developers.exlibrisgroup.com/alma/apis/#threshold';
      return { status: 429, code: 'DAILY_THRESHOLD', message, remaining: 0 };
    }
    const now = Date.now();
    while (usage.window.length > 0 && now - usage.window[0]! >= 1000) usage.window.shift();
    if (usage.window.length >= perSecond) {
      const message = 'HTTP requests are more than allowed per second';
      return { status: 429, code: 'PER_SECOND_THRESHOLD', message, remaining: daily - usage.count };
    }
    usage.window.push(now);
    usage.count++;
    return { remaining: daily - usage.count };
  }

  private usageOf(institution: string) {
    const day = new Date().toISOString().slice(0, 10);
    let usage = this.used.get(institution);
    if (!usage || usage.day !== day) {
      usage = { day, count: 0, window: [] };
      this.used.set(institution, usage);
    }
    return usage;
  }
}
