import type { IncomingMessage } from 'node:http';
import type { JsonObject } from '../runtime/xml/codec.js';
import type { MockKey, Plan } from './settings.js';

/** An API key's account: what it may do, and the institution whose thresholds it counts against. */
export interface Account {
  plan: Plan;
  institution: string;
  /** The areas the key is issued for; every area when absent. */
  areas?: readonly string[];
  environment: 'sandbox' | 'production';
  zone: 'institution' | 'network';
}

/** The accounts of the configured keys (the defaults documented on `MockKey`). */
export function accountsOf(keys: readonly MockKey[]): Map<string, Account> {
  return new Map(
    keys.map((k) => [
      k.key,
      {
        plan: k.plan ?? 'read-write',
        institution: k.institution ?? 'default',
        ...(k.areas ? { areas: k.areas } : {}),
        environment: k.environment ?? 'sandbox',
        zone: k.zone ?? 'institution',
      },
    ]),
  );
}

/** What Alma's gateway answers a key it does not know, or one not configured for the API or method called. */
export const NOT_ALLOWED = 'API-key not defined or not configured to allow this API.';

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
    return { account: unauthorized(), keyMode };
  }

  /**
   * Whether the key may call this API: its area, and for a write its plan. Alma's gateway answers both with HTTP
   * 400 UNAUTHORIZED and the same message.
   */
  allows(account: Account, area: string, method: string): Refusal | undefined {
    if (account.areas && !account.areas.includes(area)) return unauthorized();
    if (method !== 'GET' && account.plan !== 'read-write') return unauthorized();
    return undefined;
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

  /** Forgets the day's counts, as Alma does at midnight UTC. */
  newDay(): void {
    for (const usage of this.used.values()) usage.count = 0;
  }

  private usageOf(institution: string): { day: string; count: number; window: number[] } {
    const day = new Date().toISOString().slice(0, 10);
    let usage = this.used.get(institution);
    if (!usage || usage.day !== day) {
      usage = { day, count: 0, window: [] };
      this.used.set(institution, usage);
    }
    return usage;
  }
}

function unauthorized(): Refusal {
  return { status: 400, code: 'UNAUTHORIZED', message: NOT_ALLOWED, remaining: undefined };
}

/**
 * `/conf/general` as the key sees it: its environment (`SANDBOX` or `PRODUCTION`) and its institution (the seeded
 * one for the `default` institution).
 */
export function describeAccount(outcome: { body?: JsonObject }, account: Account): void {
  if (!outcome.body) return;
  const environment = account.environment === 'production' ? 'PRODUCTION' : 'SANDBOX';
  outcome.body = {
    ...outcome.body,
    environment_type: { value: environment, desc: environment === 'PRODUCTION' ? 'Production' : 'Sandbox' },
    ...(account.institution !== 'default' ? { institution: { value: account.institution, desc: null } } : {}),
  };
}
