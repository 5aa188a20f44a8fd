import type { XmlType } from '../xml/schema.js';
import { type WebhookIds, memoryWebhookIds } from './dedupe.js';
import { verifyWebhook } from './signature.js';
import type { UnknownWebhook, WebhookEnvelope } from './types.js';
import { webhookQueue, type WebhookQueueOptions } from './queue.js';

/** A webhook listener's settings (see the README's "Webhooks"). */
export interface WebhookHandlerOptions<Event> {
  /** The secret of the integration profile: every event's signature is checked with it. */
  secret: string;
  /**
   * The institution codes whose events are taken (`01XYZ_INST`): others are refused with 403 (a sandbox and
   * production can point to the same listener). Unset: any, which a listener for production should not be.
   */
  institution?: string | readonly string[];
  /** Runs for each new event, after Alma has had its answer: Alma waits 5 s, a handler may take longer. */
  onEvent: (event: Event) => void | Promise<void>;
  /** A handler that failed every try, or an event refused (with why); default: logged to the console. */
  onError?: (error: unknown, event: Event | undefined) => void;
  /** Tries of `onEvent` in all, with a doubling pause from `retryDelayMs` (default 5 tries, 1 s). */
  attempts?: number;
  retryDelayMs?: number;
  /** Webhook ids already taken (default: in memory, a day): `redisWebhookIds` for several listeners. */
  ids?: WebhookIds;
  /** The largest body read, in bytes (default 1 MiB): a bigger one is refused with 413. */
  maxBodyBytes?: number;
  /**
   * Also accept the signature of `JSON.stringify(JSON.parse(body))`, which Ex Libris' JavaScript sample computes:
   * for listeners behind something that re-serialises the body. Off by default: the raw bytes are what Alma signed.
   */
  acceptStringifiedSignature?: boolean;
  /**
   * Hand each new event to a BullMQ queue (its id as the job id) instead of running `onEvent` here: the answer to
   * Alma waits for the queueing only, and `runWebhookWorker` runs the events on any machine, with BullMQ's retries.
   */
  queue?: WebhookQueueOptions;
}

/** A request as the handler needs it, from any server (see `.node` and `.fetch`). */
export interface WebhookRequest {
  method: string;
  url: string;
  header(name: string): string | undefined;
  body(limit: number): Promise<Uint8Array>;
}

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * How the generated package decodes a body into a typed event: its actions and the XML mapping of `<notification>`.
 */
export interface WebhookDecoding {
  xml: XmlType;
  /** Upper-case action → the element of its payload. */
  actions: Readonly<Record<string, string>>;
  xmlToJson: (xml: string, type: XmlType) => Record<string, unknown>;
}

/** A body too big: refused with 413 before more is read. */
export class WebhookBodyTooLarge extends Error {}

const SIGNATURE = 'x-exl-signature';

/**
 * The listener's logic, whatever serves it: the challenge, the signature, the body's size and format, the
 * institution, duplicates, then the answer, and the user's work after it (with retries), so that Alma never waits
 * for it and never sends an event again because of it.
 */
export class WebhookCore<Event extends WebhookEnvelope & { type: string }> {
  private readonly ids: WebhookIds;
  private readonly pending = new Set<Promise<void>>();
  private readonly ended = new Map<string, Event>();
  private readonly waiting = new Map<string, ((event: Event) => void)[]>();
  private queue: ReturnType<typeof webhookQueue> | undefined;

  constructor(
    private readonly options: WebhookHandlerOptions<Event>,
    private readonly decoding: WebhookDecoding,
  ) {
    if (!options.secret) throw new Error('a webhook listener needs the secret of the integration profile (secret)');
    this.ids = options.ids ?? memoryWebhookIds();
  }

  async answer(request: WebhookRequest): Promise<WebhookAnswer> {
    if (request.method === 'GET') {
      const challenge = new URL(request.url, 'http://listener').searchParams.get('challenge');
      if (challenge === null) return text(400, 'a GET must carry ?challenge=');
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ challenge }) };
    }
    if (request.method !== 'POST') return text(405, 'GET (the challenge) or POST (an event)');
    const limit = this.options.maxBodyBytes ?? 1024 * 1024;
    let bytes: Uint8Array;
    try {
      bytes = await request.body(limit);
    } catch (error) {
      if (error instanceof WebhookBodyTooLarge) return text(413, `the body is over ${limit} bytes`);
      throw error;
    }
    const signature = request.header(SIGNATURE);
    // A missing or wrong signature gets 401 and nothing else: no hint for whoever is guessing.
    if (!signature || !(await this.signed(bytes, signature))) return { status: 401, headers: {}, body: '' };
    let event: Event;
    try {
      event = this.decode(new TextDecoder('utf-8', { fatal: true }).decode(bytes), request.header('content-type'));
    } catch (error) {
      this.report(new Error(`a signed event could not be read: ${(error as Error).message}`), undefined);
      return text(400, 'the body is neither a webhook in JSON nor in XML');
    }
    const institution = codeOf(event.institution);
    const allowed = this.options.institution;
    if (allowed !== undefined && !(typeof allowed === 'string' ? [allowed] : allowed).includes(institution ?? '')) {
      this.report(
        new Error(
          `an event of institution ${institution ?? '(none)'} was refused: this listener takes ${String(allowed)}`,
        ),
        event,
      );
      return text(403, `institution ${institution ?? '(none)'} is not this listener's`);
    }
    if (!event.id) return text(400, 'the event has no id');
    if (!(await this.ids.firstTime(String(event.id)))) return text(200, 'already received');
    this.settleWaits(event);
    if (this.options.queue) {
      this.queue ??= webhookQueue(this.options.queue, this.options.attempts ?? 5, this.options.retryDelayMs ?? 1000);
      await (await this.queue).add(event);
      return text(200, 'queued');
    }
    const work = this.run(event).finally(() => this.pending.delete(work));
    this.pending.add(work);
    return text(200, 'received');
  }

  /** Resolves when every event taken so far has been handled (or has failed every try); closes the queue, if any. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.drain();
    if (this.queue) await (await this.queue).close();
    this.queue = undefined;
  }

  /**
   * The JOB_END of a job instance: resolves with the event when it arrives (or has arrived lately), so that a wait for
   * a job needs no polling call. Rejects with `signal`.
   */
  jobEnded(instanceId: string, signal?: AbortSignal): Promise<Event> {
    const known = this.ended.get(instanceId);
    if (known) return Promise.resolve(known);
    return new Promise<Event>((resolve, reject) => {
      const list = this.waiting.get(instanceId) ?? [];
      const done = (event: Event) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(event);
      };
      const onAbort = () => {
        this.waiting.set(
          instanceId,
          (this.waiting.get(instanceId) ?? []).filter((w) => w !== done),
        );
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      list.push(done);
      this.waiting.set(instanceId, list);
    });
  }

  private async signed(bytes: Uint8Array, signature: string): Promise<boolean> {
    if (await verifyWebhook(this.options.secret, bytes, signature)) return true;
    if (!this.options.acceptStringifiedSignature) return false;
    try {
      const again = JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)));
      return await verifyWebhook(this.options.secret, again, signature);
    } catch {
      return false;
    }
  }

  private decode(body: string, contentType: string | undefined): Event {
    const xml = /xml/i.test(contentType ?? '') || body.trimStart().startsWith('<');
    const parsed = (xml ? this.decoding.xmlToJson(body, this.decoding.xml) : JSON.parse(body)) as Record<
      string,
      unknown
    >;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    const action = String(parsed.action ?? '');
    const type = action.toUpperCase();
    if (type in this.decoding.actions) return { ...parsed, type } as unknown as Event;
    const unknown: Omit<UnknownWebhook, keyof WebhookEnvelope> = {
      type: 'unknown',
      body: parsed as UnknownWebhook['body'],
    };
    return { ...parsed, ...unknown } as unknown as Event;
  }

  private settleWaits(event: Event): void {
    if (event.type !== 'JOB_END') return;
    const id = (event as unknown as { job_instance?: { id?: unknown } }).job_instance?.id;
    if (id === undefined || id === null) return;
    const key = String(id);
    this.ended.set(key, event);
    if (this.ended.size > 1000) this.ended.delete(this.ended.keys().next().value as string);
    for (const resolve of this.waiting.get(key) ?? []) resolve(event);
    this.waiting.delete(key);
  }

  private async run(event: Event): Promise<void> {
    const attempts = Math.max(1, this.options.attempts ?? 5);
    const base = this.options.retryDelayMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.onEvent(event);
        return;
      } catch (error) {
        if (attempt >= attempts) {
          this.report(
            new Error(
              `the handler of webhook ${event.id} (${event.action}) failed ${attempts} times: ${(error as Error).message}`,
              { cause: error },
            ),
            event,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, base * 2 ** (attempt - 1)));
      }
    }
  }

  private report(error: unknown, event: Event | undefined): void {
    if (this.options.onError) this.options.onError(error, event);
    else console.error(`alma webhook: ${(error as Error).message}`);
  }
}

function text(status: number, body: string): WebhookAnswer {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

function codeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return undefined;
}
