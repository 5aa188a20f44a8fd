import { AlmaApiError, type AlmaErrorDetail } from './errors.js';
import { buildUrl, redactedUrl } from './internal/url.js';
import type { OperationSpec, CallOptions } from './operation.js';

/** Alma's regional API gateways. */
export const REGIONS = {
  na: 'https://api-na.hosted.exlibrisgroup.com',
  eu: 'https://api-eu.hosted.exlibrisgroup.com',
  ap: 'https://api-ap.hosted.exlibrisgroup.com',
  aps: 'https://api-aps.hosted.exlibrisgroup.com',
  ca: 'https://api-ca.hosted.exlibrisgroup.com',
  cn: 'https://api-cn.hosted.exlibrisgroup.com.cn',
} as const;

export type Region = keyof typeof REGIONS;

export interface ClientOptions {
  /** The API key, or a function that provides it (e.g. from a secret store). */
  apiKey: string | (() => string | Promise<string>);
  /** The region of the institution; or give `baseUrl`. Default `na`. */
  region?: Region;
  /** A custom base URL (a proxy, a mock server); wins over `region`. */
  baseUrl?: string;
  /** How the key is sent: `Authorization: apikey …` (default, keeps it out of URLs and logs) or `?apikey=`. */
  auth?: 'header' | 'query';
  /** Default timeout per call in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** The fetch implementation. Default: the global one. */
  fetch?: typeof fetch;
}

/** A configured connection to Alma; every generated function takes one. */
export class AlmaClient {
  readonly #apiKey: ClientOptions['apiKey'];
  readonly baseUrl: string;
  readonly auth: 'header' | 'query';
  readonly timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? REGIONS[options.region ?? 'na']).replace(/\/+$/, '');
    this.auth = options.auth ?? 'header';
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Performs one operation; generated functions call this. */
  async request<T>(operation: OperationSpec, params: object, options: CallOptions = {}): Promise<T> {
    const key = typeof this.#apiKey === 'function' ? await this.#apiKey() : this.#apiKey;
    const url = buildUrl(this.baseUrl, operation, params as Record<string, unknown>, this.auth === 'query' ? key : undefined);
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.auth === 'header') headers.Authorization = `apikey ${key}`;
    const body = (params as { body?: unknown }).body;
    if (operation.method === 'POST' || operation.method === 'PUT') headers['Content-Type'] = 'application/json';
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await this.#fetch(url, { method: operation.method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await response.text();
    if (!response.ok) throw new AlmaApiError(response.status, parseErrors(text), operation.name, operation.method, redactedUrl(url));
    if (response.status === 204 || text === '') return undefined as T;
    return JSON.parse(text) as T;
  }

  /** Never shows the key. */
  toJSON(): object {
    return { baseUrl: this.baseUrl, auth: this.auth, timeoutMs: this.timeoutMs };
  }
}

export function createClient(options: ClientOptions): AlmaClient {
  return new AlmaClient(options);
}

function parseErrors(text: string): AlmaErrorDetail[] {
  try {
    const parsed = JSON.parse(text) as { errorList?: { error?: unknown }; web_service_result?: { errorList?: { error?: unknown } } };
    const list = (parsed.web_service_result ?? parsed).errorList?.error;
    const errors = Array.isArray(list) ? list : list ? [list] : [];
    return errors.map((e: { errorCode?: unknown; errorMessage?: unknown; trackingId?: unknown }) => ({
      code: String(e.errorCode ?? ''),
      message: String(e.errorMessage ?? ''),
      ...(e.trackingId ? { trackingId: String(e.trackingId) } : {}),
    }));
  } catch {
    return [];
  }
}
