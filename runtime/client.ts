import type { JsonObject } from './xml/codec.js';
import {
  AlmaAbortError,
  AlmaConfigError,
  AlmaEnvironmentError,
  AlmaDailyLimitError,
  AlmaDecodeError,
  AlmaNetworkError,
  AlmaRateLimitError,
  AlmaReadOnlyError,
  AlmaTimeoutError,
} from './errors.js';
import type { Budget, RetryOptions, SlotStore } from './governance/settings.js';
import { institutionFor, keyLabel, type Institution } from './internal/governance.js';
import { markPage } from './internal/page-items.js';
import { sleep } from './internal/sleep.js';
import { parseRetryAfter, RETRY_DEFAULTS, retryDecision } from './internal/retry.js';
import { parseRemaining, sniffBody } from './internal/body.js';
import { classifyError } from './internal/classify.js';
import { normaliseErrorBody } from './internal/error-body.js';
import { buildUrl, redactHeaders, redactUrl } from './internal/url.js';
import { readBody, utf8Text } from './internal/read-body.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './xml/limits.js';
import type { CallOptions, HttpMethod, OperationSpec, ResponseMeta } from './operation.js';

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
export type WireFormat = 'json' | 'xml';

/** What `onRequest` receives: nothing in it carries the API key. */
export interface RequestEvent {
  operation: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
}

/** What `onResponse` receives. */
export interface ResponseEvent extends ResponseMeta {
  operation: string;
  method: HttpMethod;
  durationMs: number;
}

/** An API key, or a function that provides one (e.g. from a secret store), called before each request. */
export type ApiKey = string | (() => string | Promise<string>);

/** A key with what it may do: `readOnly` refuses writes locally; `label` names it in errors (the key never is). */
export interface KeyEntry {
  key: ApiKey;
  readOnly?: boolean;
  label?: string;
}

/**
 * Keys by API area, as Ex Libris issues them (`users`, `bibs`, `acq`, `conf`, `analytics`, `courses`, `electronic`,
 * `partners`, `tasklists`), with a `default` for the areas not listed. Each operation is sent with its area's key.
 */
export interface ApiKeys {
  default?: ApiKey | KeyEntry;
  [area: string]: ApiKey | KeyEntry | undefined;
}

/** Which Alma a client talks to: a region, or a base URL. There is no default: never production by accident. */
export type AlmaTarget =
  | {
      /** The institution's region (`na`, `eu`, `ap`, `aps`, `ca`, `cn`). */
      region: Region;
      /** A custom base URL (a proxy, a mock server); wins over `region`. */
      baseUrl?: string;
    }
  | { region?: Region; baseUrl: string };

export type ClientOptions = ClientSettings & AlmaTarget;

/** What `derive` may change: listeners are added to the client's own; `readOnly` can only be turned on. */
export interface ClientChanges {
  readOnly?: boolean;
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onWrite?: (event: RequestEvent) => void | Promise<void>;
  retry?: RetryOptions;
}

export interface ClientSettings {
  /** The API key (or a provider, or a key with its rights), or keys by area (see `ApiKeys`). */
  apiKey: ApiKey | KeyEntry | ApiKeys;
  /**
   * The environment the client expects its key to reach. Before its first write it reads the environment type and
   * the institution once (`GET /almaws/v1/conf/general`) and refuses writes on a mismatch (`AlmaEnvironmentError`).
   */
  environment?: 'sandbox' | 'production';
  /**
   * Writes to a production environment (as `/conf/general` says) are refused unless this is true: a script meant
   * for the sandbox never writes to production by a wrong key. Default false when `environment` is set.
   */
  allowProductionWrites?: boolean;
  /**
   * `header` (default): `Authorization: apikey …`, which keeps the key out of URLs, proxies and logs; `query`:
   * `?apikey=`.
   */
  auth?: 'header' | 'query';
  /** The format on the wire. Default `json`. XML-only operations always use XML. */
  format?: WireFormat;
  /** Two-letter language for Alma's error messages (`lang=`). */
  lang?: string;
  /** Timeout per call in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** The fetch implementation. Default: the global one. */
  fetch?: typeof fetch;
  /** Refuse POST, PUT and DELETE locally, before any call: for read-only keys and the guest sandbox. */
  readOnly?: boolean;
  /** The `User-Agent` header. */
  userAgent?: string;
  /** Called before each request is sent (for logging and metrics). */
  onRequest?: (event: RequestEvent) => void;
  /** Called when a response arrives, error answers included. */
  onResponse?: (event: ResponseEvent) => void;
  /**
   * Called, and awaited, before a write (POST, PUT, DELETE) is first sent: a journal records "sent" here, so that a
   * crash between the send and the answer leaves the write known as possibly made. A rejection stops the call unsent.
   */
  onWrite?: (event: RequestEvent) => void | Promise<void>;
  /**
   * The institution whose allowance the calls count against (its code, e.g. `01XYZ_INST`). Clients of one
   * institution in a process share one limiter and one budget. Default: one per base URL and API key.
   */
  institution?: string;
  /** The largest XML answer read, in bytes. Default 32 MiB: a bigger one fails with `AlmaDecodeError` naming this. */
  maxDocumentBytes?: number;
  /**
   * The limiter: `perSecond` (default 25, Alma's threshold), `maxConcurrency` (default 10), a shared `store` (Redis);
   * `false` turns it off.
   */
  rateLimit?:
    | {
        perSecond?: number;
        maxConcurrency?: number;
        store?: SlotStore;
        /**
         * With a shared `store`: how many processes share the allowance. When the store (Redis) does not answer, each
         * paces itself at `perSecond / workers` until it does (default 4), and says so once.
         */
        workers?: number;
      }
    | false;
  /** Retries (see README): `false` turns them off. */
  retry?: RetryOptions | false;
  /**
   * Calls to keep for other work: at or under this many remaining today, calls fail locally with
   * AlmaDailyLimitError.
   */
  reserve?: number;
  /** Called once when the remaining daily budget falls to `budgetLowThreshold` or below. */
  onBudgetLow?: (budget: Budget) => void;
  /** Default 10 % of the first `X-Exl-Api-Remaining` seen is not known in advance, so: 5 000. */
  budgetLowThreshold?: number;
  /** Identical GETs in flight at the same time share one request. Default true. */
  dedupe?: boolean;
}

interface RawResponse {
  status: number;
  responseHeaders: Record<string, string>;
  /** `X-Exl-Api-Remaining`, parsed. */
  remaining: number | undefined;
  /** The body as text; empty when it was read as `bytes`. */
  text: string;
  /** The body of a successful `responseBytes` operation. */
  bytes?: Uint8Array;
}

const MEDIA_TYPES: Record<WireFormat, string> = { json: 'application/json', xml: 'application/xml' };
const DEFAULT_TIMEOUT_MS = 60_000;

/** A configured connection to Alma; every generated function takes one. The key is never readable from it. */
export class AlmaClient {
  readonly #keys: { byArea: Map<string, KeyEntry>; default: KeyEntry | undefined; single: boolean };
  readonly #environment: ClientSettings['environment'];
  readonly #allowProductionWrites: boolean;
  /** Shared with derived clients (`derive`): the environment is read once for all of them. */
  #environmentState: { seen: Promise<{ type: string; institution: string | undefined }> | undefined } = {
    seen: undefined,
  };
  readonly #options: ClientOptions;
  readonly #onWrite: ClientOptions['onWrite'];
  readonly #fetch: typeof fetch;
  readonly #onRequest: ClientOptions['onRequest'];
  readonly #onResponse: ClientOptions['onResponse'];
  readonly baseUrl: string;
  readonly auth: 'header' | 'query';
  readonly format: WireFormat;
  readonly lang: string | undefined;
  readonly timeoutMs: number;
  readonly readOnly: boolean;
  readonly userAgent: string | undefined;
  readonly #institutionId: string | undefined;
  readonly #maxDocumentBytes: number | undefined;
  readonly #rateLimit: { perSecond: number; maxConcurrency: number; store: SlotStore | undefined; workers: number };
  readonly #retry: Required<RetryOptions> | undefined;
  readonly #reserve: number | undefined;
  readonly #onBudgetLow: ClientOptions['onBudgetLow'];
  readonly #budgetLowThreshold: number;
  readonly #dedupe: boolean;
  readonly #inFlight = new Map<string, Promise<RawResponse>>();
  #lastInstitution: Institution | undefined;

  constructor(options: ClientOptions) {
    this.#options = options;
    this.#onWrite = options.onWrite;
    this.#keys = keysOf(options.apiKey);
    this.baseUrl = targetOf(options);
    this.#environment = options.environment;
    this.#allowProductionWrites = options.allowProductionWrites ?? options.environment !== 'sandbox';
    // Taken now, not at the first call: Node loads its fetch lazily, and that first load would delay a paced call.
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.#fetch = (input, init) => fetchImpl(input, init);
    this.#onRequest = options.onRequest;
    this.#onResponse = options.onResponse;
    this.auth = options.auth ?? 'header';
    this.format = options.format ?? 'json';
    this.lang = options.lang;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.readOnly = options.readOnly ?? false;
    this.userAgent = options.userAgent;
    this.#institutionId = options.institution;
    this.#maxDocumentBytes = options.maxDocumentBytes;
    const limit =
      options.rateLimit === false
        ? { perSecond: Number.POSITIVE_INFINITY, maxConcurrency: Number.POSITIVE_INFINITY }
        : (options.rateLimit ?? {});
    this.#rateLimit = {
      perSecond: limit.perSecond ?? 25,
      maxConcurrency: limit.maxConcurrency ?? 10,
      store: options.rateLimit ? options.rateLimit.store : undefined,
      workers: (options.rateLimit || undefined)?.workers || 4,
    };
    this.#retry = options.retry === false ? undefined : { ...RETRY_DEFAULTS, ...options.retry };
    this.#reserve = options.reserve;
    this.#onBudgetLow = options.onBudgetLow;
    this.#budgetLowThreshold = options.budgetLowThreshold ?? 5_000;
    this.#dedupe = options.dedupe ?? true;
  }

  /**
   * A client with the same key, target, limiter and budget, and some settings changed: a bulk run gives each item one
   * that journals its writes (`onWrite`) and never repeats a write whose answer was lost (`retry.repeatWrites`).
   * Listeners are added to this client's, not put in their place. The environment is read once for both.
   */
  derive(changes: ClientChanges): AlmaClient {
    const own = this.#options;
    const both = <E>(a: ((e: E) => void) | undefined, b: ((e: E) => void) | undefined) =>
      a && b
        ? (event: E) => {
            a(event);
            b(event);
          }
        : (a ?? b);
    const onWrite =
      own.onWrite && changes.onWrite
        ? async (event: RequestEvent) => {
            await own.onWrite!(event);
            await changes.onWrite!(event);
          }
        : (own.onWrite ?? changes.onWrite);
    const retry = changes.retry === undefined || own.retry === false ? own.retry : { ...own.retry, ...changes.retry };
    const derived = new AlmaClient({
      ...own,
      ...(changes.readOnly !== undefined ? { readOnly: changes.readOnly || (own.readOnly ?? false) } : {}),
      onRequest: both(own.onRequest, changes.onRequest),
      onResponse: both(own.onResponse, changes.onResponse),
      onWrite,
      retry,
    });
    derived.#environmentState = this.#environmentState;
    return derived;
  }

  get #institution(): Institution {
    const only = this.#keys.single ? this.#keys.default?.key : undefined;
    return this.#lastInstitution ?? this.#institutionOf(typeof only === 'string' ? only : '');
  }

  /** The institution's daily budget as last seen (`X-Exl-Api-Remaining`), shared by its clients in this process. */
  get budget(): Readonly<Budget> {
    return { ...this.#institution.budget };
  }

  /** Performs one operation; generated functions call this. */
  async request<T>(operation: OperationSpec, params: object, options: CallOptions = {}): Promise<T> {
    if (this.readOnly && operation.method !== 'GET') throw new AlmaReadOnlyError(operation.name, operation.method);
    const entry = this.#keyFor(operation);
    if (entry.readOnly && operation.method !== 'GET')
      throw new AlmaReadOnlyError(operation.name, operation.method, `the API key ${entry.label} is read-only`);
    if (operation.method !== 'GET' && (this.#environment || !this.#allowProductionWrites))
      await this.#checkEnvironment(operation, options);
    const key = await this.#key(entry);
    const format = wireFormat(operation, options.format ?? this.format);
    const query: Record<string, string> = {};
    if (this.lang) query.lang = this.lang;
    if (this.auth === 'query') query.apikey = key;
    const url = buildUrl(this.baseUrl, operation, params as Record<string, unknown>, query);
    const safeUrl = redactUrl(url);
    const headers = this.#headers(operation, format, options);
    const body = await encodeBody(operation, (params as { body?: unknown }).body, format);
    if (this.auth === 'header') headers.Authorization = `apikey ${key}`;
    const institution = this.#institutionOf(key);
    this.#lastInstitution = institution;
    if (operation.method !== 'GET' && this.#onWrite) {
      this.#refuseLocally(institution, operation, safeUrl);
      await this.#onWrite({
        operation: operation.name,
        method: operation.method,
        url: safeUrl,
        headers: redactHeaders(headers),
      });
    }

    for (let attempt = 1; ; attempt++) {
      this.#refuseLocally(institution, operation, safeUrl);
      try {
        const { status, responseHeaders, text, bytes } = await this.#exchange(
          institution,
          operation,
          url,
          safeUrl,
          { method: operation.method, headers, body },
          options,
          key,
        );
        // Callers that shared one exchange each get their own copy.
        if (bytes) {
          institution.succeeded();
          return bytes.slice() as T;
        }
        const kind = sniffBody(text);
        if (status >= 400) {
          const retryAfterMs = parseRetryAfter(responseHeaders['retry-after']);
          throw classifyError(
            operation,
            {
              status,
              url: safeUrl,
              ...(kind === 'xml' ? (await xmlWire()).xmlErrorBody(text) : normaliseErrorBody(text, kind)),
              ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            },
            new Date(),
          );
        }
        institution.succeeded();
        return markPage(
          await decodeSuccess<T>(operation, status, text, kind, safeUrl, this.#maxDocumentBytes),
          operation.listItems,
        );
      } catch (error) {
        if (error instanceof AlmaDailyLimitError) institution.block(error.resetAt);
        if (error instanceof AlmaRateLimitError) institution.slowDown();
        const decision = this.#retry
          ? retryDecision(error, operation.method, attempt, this.#retry)
          : { retry: false as const, error };
        if (!decision.retry) throw decision.error;
        if (!institution.spendRetry(error instanceof AlmaRateLimitError)) {
          // The institution's retry budget is spent (many failures in a row): said, so that no one waits for retries.
          if (error instanceof Error && !error.message.includes('retries suspended'))
            error.message += ' (retries suspended: too many failures at this institution)';
          throw error;
        }
        await sleep(
          decision.delayMs,
          options.signal,
          () => new AlmaAbortError(operation.name, operation.method, safeUrl),
        );
      }
    }
  }

  /** Calls that must not go out: after DAILY_THRESHOLD until midnight UTC, or at the caller's reserve. */
  #refuseLocally(institution: Institution, operation: OperationSpec, safeUrl: string): void {
    const refusal = institution.refusal(this.#reserve);
    if (!refusal) return;
    const message =
      refusal === 'blocked'
        ? 'Daily API Request Threshold has been reached (known locally; no call made until the reset)'
        : `the daily budget is at the reserve of ${this.#reserve} calls kept for other work (no call made)`;
    throw new AlmaDailyLimitError({
      status: 0,
      errors: [{ code: 'DAILY_THRESHOLD', message }],
      operation: operation.name,
      method: operation.method,
      url: safeUrl,
    });
  }

  /**
   * One HTTP exchange, paced by the institution's limiter. Identical GETs in flight at the same time share one
   * request; each caller decodes the answer itself.
   */
  async #exchange(
    institution: Institution,
    operation: OperationSpec,
    url: URL,
    safeUrl: string,
    init: RequestInit & { headers: Record<string, string> },
    options: CallOptions,
    key: string,
  ): Promise<RawResponse> {
    const shareKey =
      this.#dedupe && operation.method === 'GET' && !options.signal
        ? `${url.toString()}\u0000${init.headers.Accept}`
        : undefined;
    const shared = shareKey ? this.#inFlight.get(shareKey) : undefined;
    const exchange =
      shared ??
      (async () => {
        const release = await institution.acquire(options.signal).catch((error: unknown) => {
          // Aborted while waiting for a turn; anything else (a shared store that is down) is the store's own error.
          throw options.signal?.aborted ? new AlmaAbortError(operation.name, operation.method, safeUrl) : error;
        });
        try {
          this.#onRequest?.({
            operation: operation.name,
            method: operation.method,
            url: safeUrl,
            headers: redactHeaders(init.headers),
          });
          const started = Date.now();
          const raw = await this.#send(operation, url, safeUrl, init, options, key);
          if (institution.observe(raw.remaining, this.#budgetLowThreshold))
            this.#onBudgetLow?.({ ...institution.budget });
          this.#onResponse?.({
            status: raw.status,
            headers: raw.responseHeaders,
            remaining: raw.remaining,
            url: safeUrl,
            operation: operation.name,
            method: operation.method,
            durationMs: Date.now() - started,
          });
          return raw;
        } finally {
          release();
        }
      })();
    if (shareKey && !shared) {
      this.#inFlight.set(shareKey, exchange);
      void exchange.finally(() => this.#inFlight.delete(shareKey)).catch(() => undefined);
    }
    const raw = await exchange;
    options.onResponseMeta?.({
      status: raw.status,
      headers: raw.responseHeaders,
      remaining: raw.remaining,
      url: safeUrl,
    });
    return raw;
  }

  #institutionOf(key: string): Institution {
    // Without an institution, one per server and key: the same key against another server (a sandbox, a mock) is
    // another institution, with its own pace and budget.
    return institutionFor(
      this.#institutionId ?? keyLabel(`${this.baseUrl}\u0000${key}`),
      this.#rateLimit.perSecond,
      this.#rateLimit.maxConcurrency,
      this.#rateLimit.store,
      this.#rateLimit.workers,
    );
  }

  async #key(entry: KeyEntry): Promise<string> {
    const key = typeof entry.key === 'function' ? await entry.key() : entry.key;
    if (typeof key !== 'string' || key === '')
      throw new AlmaConfigError(`the API key ${entry.label} is empty (its provider returned no key)`);
    return key;
  }

  /** The key an operation is sent with: its area's, else the default; an error naming the area when there is none. */
  #keyFor(operation: OperationSpec): KeyEntry {
    const entry = (operation.area && this.#keys.byArea.get(operation.area)) || this.#keys.default;
    if (!entry) {
      const areas = [...this.#keys.byArea.keys()].join(', ');
      throw new AlmaConfigError(
        `${operation.name} was not sent: no API key for area ${operation.area ?? '(unknown)'} ` +
          `(keys are set for ${areas || 'no area'}); add apiKey.${operation.area ?? 'default'} or apiKey.default`,
      );
    }
    return entry;
  }

  /**
   * Reads the environment type and the institution once (`GET /almaws/v1/conf/general`, the same for every area),
   * and refuses a write that the client's `environment` or `allowProductionWrites` forbids.
   */
  async #checkEnvironment(operation: OperationSpec, options: CallOptions): Promise<void> {
    // With the conf area's key where there is one, else the write's own (a key for one area may read no other).
    const read =
      this.#keys.byArea.has('conf') || !operation.area
        ? GENERAL_CONFIGURATION
        : { ...GENERAL_CONFIGURATION, area: operation.area };
    this.#environmentState.seen ??= this.request<GeneralConfiguration>(read, {}, options).then(
      (general) => ({
        type: String(codeOf(general.environment_type) ?? 'unknown').toLowerCase(),
        institution: codeOf(general.institution),
      }),
      (error: unknown) => {
        this.#environmentState.seen = undefined;
        throw error;
      },
    );
    const seen = await this.#environmentState.seen;
    if (this.#environment && seen.type !== this.#environment)
      throw new AlmaEnvironmentError(operation.name, this.#environment, seen.type, seen.institution);
    if (seen.type === 'production' && !this.#allowProductionWrites)
      throw new AlmaEnvironmentError(
        operation.name,
        'sandbox (production writes need allowProductionWrites: true)',
        seen.type,
        seen.institution,
      );
  }

  /** The environment type (`sandbox`, `production`) and institution the client's key reaches, read once. */
  async environment(): Promise<{ type: string; institution: string | undefined }> {
    await this.#checkEnvironment(GENERAL_CONFIGURATION, {}).catch((error: unknown) => {
      if (!(error instanceof AlmaEnvironmentError)) throw error;
    });
    return this.#environmentState.seen!;
  }

  #headers(operation: OperationSpec, format: WireFormat, options: CallOptions): Record<string, string> {
    const headers: Record<string, string> = { Accept: MEDIA_TYPES[format] };
    // Alma requires a Content-Type on every POST and PUT, body or not.
    if (operation.method === 'POST' || operation.method === 'PUT') headers['Content-Type'] = MEDIA_TYPES[format];
    if (this.userAgent) headers['User-Agent'] = this.userAgent;
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (name.toLowerCase() !== 'authorization') headers[name] = value;
    }
    return headers;
  }

  /** Sends the request and reads the whole body, turning every transport failure into a typed error. */
  async #send(
    operation: OperationSpec,
    url: URL,
    safeUrl: string,
    init: RequestInit,
    options: CallOptions,
    key: string,
  ): Promise<RawResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    if (options.signal?.aborted) controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.#follow(url, { ...init, signal: controller.signal }, key);
      const where = { operation: operation.name, url: safeUrl };
      const body = await readBody(response, this.#maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES, where);
      // Error answers of a file download are Alma's error documents: text.
      const bytes = operation.responseBytes && response.ok ? body : undefined;
      const text = bytes ? '' : utf8Text(body, where);
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return {
        status: response.status,
        responseHeaders,
        remaining: parseRemaining(responseHeaders['x-exl-api-remaining'] ?? null),
        text,
        ...(bytes ? { bytes } : {}),
      };
    } catch (error) {
      if (error instanceof AlmaDecodeError) throw error;
      if (timedOut) throw new AlmaTimeoutError(operation.name, operation.method, safeUrl, timeoutMs);
      if (options.signal?.aborted) throw new AlmaAbortError(operation.name, operation.method, safeUrl);
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? cause.code : undefined;
      const message = String(cause?.message ?? (error as Error).message ?? error)
        .split(key)
        .join('REDACTED');
      throw new AlmaNetworkError(operation.name, operation.method, safeUrl, code, message);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends the request, following redirects itself (Alma answers item-by-barcode with one): a redirect within the
   * origin keeps the key; one to another origin is followed without it (no `Authorization`, no `apikey` in the
   * query), so that a key never reaches a host it was not given to.
   */
  async #follow(url: URL, init: RequestInit, key: string): Promise<Response> {
    let current = url;
    let request = init;
    for (let hops = 0; ; hops++) {
      const response = await this.#fetch(current, { ...request, redirect: 'manual' });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      if (hops >= 5) return response;
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, current);
      if (next.origin !== url.origin) {
        next.searchParams.delete('apikey');
        const headers = { ...(request.headers as Record<string, string>) };
        delete headers.Authorization;
        request = { ...request, headers };
      } else if (this.auth === 'query' && !next.searchParams.has('apikey')) next.searchParams.set('apikey', key);
      if (response.status === 303) request = { ...request, method: 'GET', body: undefined };
      current = next;
    }
  }

  /** Never shows the key. */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      auth: this.auth,
      format: this.format,
      lang: this.lang,
      timeoutMs: this.timeoutMs,
      readOnly: this.readOnly,
    };
  }
}

export function createClient(options: ClientOptions): AlmaClient {
  return new AlmaClient(options);
}

/**
 * Alma's general configuration (`GET /almaws/v1/conf/general`, conf.json "Retrieve general configuration"): the one
 * call that says which environment (`environment_type`: SANDBOX or PRODUCTION) and institution a key reaches. The
 * runtime reads it before the first write of a client that guards its environment, whatever modules the app imports,
 * so its descriptor is written here; `test/runtime/environment.test.ts` checks it against the spec's operation.
 */
export const GENERAL_CONFIGURATION: OperationSpec = {
  name: 'getGeneralConfiguration',
  area: 'conf',
  method: 'GET',
  path: '/almaws/v1/conf/general',
  status: 200,
};

interface GeneralConfiguration {
  environment_type?: unknown;
  institution?: unknown;
}

/** A code-table value's code (`{ value: 'SANDBOX' }`), or a plain string. */
function codeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const code = value && typeof value === 'object' ? (value as { value?: unknown }).value : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The keys as the client keeps them: by area, a default, and whether one key serves everything. */
function keysOf(apiKey: ClientSettings['apiKey']): {
  byArea: Map<string, KeyEntry>;
  default: KeyEntry | undefined;
  single: boolean;
} {
  const entry = (value: unknown, label: string): KeyEntry => {
    if (typeof value === 'string' || typeof value === 'function') return { key: value as ApiKey, label };
    if (value && typeof value === 'object' && 'key' in value) {
      const { key, readOnly, label: own } = value as KeyEntry;
      if (typeof key !== 'string' && typeof key !== 'function')
        throw new AlmaConfigError(`createClient: the key of ${label} must be a string or a function that returns one`);
      return { key, readOnly: readOnly ?? false, label: own ? `"${own}"` : label };
    }
    throw new AlmaConfigError(
      `createClient: ${label} must be a string, a function that returns one, or { key, readOnly?, label? }; got ${value === undefined ? 'undefined (an environment variable not set?)' : typeof value}`,
    );
  };
  if (
    typeof apiKey === 'string' ||
    typeof apiKey === 'function' ||
    (apiKey && typeof apiKey === 'object' && 'key' in apiKey)
  )
    return { byArea: new Map(), default: entry(apiKey, 'apiKey'), single: true };
  if (!apiKey || typeof apiKey !== 'object')
    throw new AlmaConfigError(
      'createClient: apiKey is missing: give a key (a string or a provider), or keys by area ({ users: …, default: … })',
    );
  const byArea = new Map<string, KeyEntry>();
  for (const [area, value] of Object.entries(apiKey))
    if (area !== 'default') byArea.set(area, entry(value, `for area ${area}`));
  const fallback = apiKey.default === undefined ? undefined : entry(apiKey.default, 'apiKey.default');
  if (byArea.size === 0 && !fallback) throw new AlmaConfigError('createClient: apiKey names no key for any area');
  return { byArea, default: fallback, single: false };
}

/** The base URL a client talks to: `baseUrl`, else the region's gateway; never a default. */
function targetOf(options: Partial<AlmaTarget>): string {
  if (options.baseUrl !== undefined && options.baseUrl !== null) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\/\S+$/.test(options.baseUrl))
      throw new AlmaConfigError(
        `createClient: baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}; nothing was sent`,
      );
    return options.baseUrl.replace(/\/+$/, '');
  }
  if (options.region !== undefined) {
    if (!(options.region in REGIONS))
      throw new AlmaConfigError(
        `createClient: unknown region "${options.region}"; use one of ${Object.keys(REGIONS).join(', ')}, or baseUrl`,
      );
    return REGIONS[options.region];
  }
  throw new AlmaConfigError(
    `createClient: no Alma to talk to: set region (${Object.keys(REGIONS).join(', ')}) or baseUrl. ` +
      'Both were missing or undefined (an environment variable not set?); there is no default, so that nothing ' +
      'is ever sent to production by accident',
  );
}

/**
 * An operation with a fixed format (XML-only bibs and holdings; JSON for untyped documents) uses it; the others speak
 * the client's format. Generated descriptors carry the IR's `wireFormat`; the media-type check is for descriptors a
 * user writes by hand (an operation the specs omit), which may list only XML types without saying `wireFormat`.
 */
function wireFormat(operation: OperationSpec, preferred: WireFormat): WireFormat {
  if (operation.wireFormat) return operation.wireFormat;
  const types = [...(operation.requestTypes ?? []), ...(operation.responseTypes ?? [])];
  if (types.length > 0 && types.every((t) => t === MEDIA_TYPES.xml)) return 'xml';
  return preferred;
}

/** The XML codec and its parser, loaded on first use (see `internal/xml/wire.ts`). */
const xmlWire = () => import('./internal/xml/wire.js');

async function encodeBody(operation: OperationSpec, body: unknown, format: WireFormat): Promise<string | undefined> {
  if (body === undefined) return undefined;
  if (format === 'json') return JSON.stringify(body);
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TypeError(`${operation.name}: the body must be an object`);
  if (!operation.requestXml?.root)
    throw new TypeError(`${operation.name}: no XML mapping is known for this body; pass it as an XML string`);
  return (await xmlWire()).jsonToXml(body as JsonObject, operation.requestXml);
}

async function decodeSuccess<T>(
  operation: OperationSpec,
  status: number,
  text: string,
  kind: ReturnType<typeof sniffBody>,
  url: string,
  maxDocumentBytes: number | undefined,
): Promise<T> {
  if (status === 204 || kind === 'empty') return undefined as T;
  if (kind === 'json') {
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new AlmaDecodeError(
        operation.name,
        url,
        `the body is not valid JSON: ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  if (kind === 'xml') {
    const { xmlToJson } = await xmlWire();
    try {
      return xmlToJson(text, operation.responseXml, maxDocumentBytes !== undefined ? { maxDocumentBytes } : {}) as T;
    } catch (error) {
      throw new AlmaDecodeError(operation.name, url, `the XML body could not be read: ${(error as Error).message}`);
    }
  }
  throw new AlmaDecodeError(
    operation.name,
    url,
    `expected a JSON body, got ${kind === 'html' ? 'an HTML page' : 'plain text'}`,
  );
}
