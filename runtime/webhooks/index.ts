// Alma's webhooks (the package's `./webhooks` entry, and `createWebhookHandler` in the generated `webhooks` module):
// a listener for any server, its signature check, its duplicate filter.
import {
  WebhookBodyTooLarge,
  WebhookCore,
  type WebhookDecoding,
  type WebhookHandlerOptions,
  type WebhookRequest,
} from './handler.js';
import { concatBytes, readChunks } from '../internal/read-body.js';
import type { WebhookEnvelope } from './types.js';

export { memoryWebhookIds, redisWebhookIds, type WebhookIds } from './dedupe.js';
export type { WebhookDecoding, WebhookHandlerOptions } from './handler.js';
export { runWebhookWorker, type WebhookQueueOptions } from './queue.js';
export { signWebhook, verifyWebhook } from './signature.js';
export type { UnknownWebhook, WebhookEnvelope, WebhookOf, WebhookUser } from './types.js';

/** What `.node` needs of Node's `IncomingMessage` (Express and Fastify's raw request are one). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** What `.node` needs of Node's `ServerResponse`. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

/** A listener, for Node's http (`.node`), or anything that speaks fetch's Request and Response (`.fetch`). */
export interface WebhookHandler<Event> {
  /** A `(req, res)` listener: `http.createServer(handler.node)`, `app.post('/alma', handler.node)`. */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
  /** A `(Request) => Promise<Response>` handler: serverless functions, Bun, Deno, Hono. */
  fetch(request: Request): Promise<Response>;
  /** Resolves when every event taken so far has been handled (for a graceful stop, and for tests). */
  drain(): Promise<void>;
  /** Drains, and lets go of the queue's connection (with `queue`). */
  close(): Promise<void>;
  /** The JOB_END event of a job instance, when it comes (`runJobAndWait`'s `events`). */
  jobEnded(instanceId: string, signal?: AbortSignal): Promise<Event>;
}

/** A listener over a decoding of the generated package's events (the generated `createWebhookHandler` calls it). */
export function webhookHandler<Event extends WebhookEnvelope & { type: string }>(
  options: WebhookHandlerOptions<Event>,
  decoding: WebhookDecoding,
): WebhookHandler<Event> {
  const core = new WebhookCore<Event>(options, decoding);
  return {
    async node(req, res) {
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      const request: WebhookRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        header,
        body: (limit) => readNodeBody(req, limit, Number(header('content-length') ?? Number.NaN)),
      };
      const answer = await core.answer(request).catch((error: unknown) => {
        options.onError?.(error, undefined);
        return { status: 500, headers: {}, body: '' };
      });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    },
    async fetch(incoming) {
      const request: WebhookRequest = {
        method: incoming.method,
        url: incoming.url,
        header: (name) => incoming.headers.get(name) ?? undefined,
        body: (limit) => readFetchBody(incoming, limit),
      };
      const answer = await core.answer(request);
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    },
    drain: () => core.drain(),
    close: () => core.close(),
    jobEnded: (instanceId, signal) => core.jobEnded(instanceId, signal),
  };
}

async function readNodeBody(req: NodeRequestLike, limit: number, declared: number): Promise<Uint8Array> {
  if (declared > limit) throw new WebhookBodyTooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw new WebhookBodyTooLarge();
    chunks.push(bytes);
  }
  return concatBytes(chunks, size);
}

async function readFetchBody(request: Request, limit: number): Promise<Uint8Array> {
  if (Number(request.headers.get('content-length') ?? Number.NaN) > limit) throw new WebhookBodyTooLarge();
  const reader = request.body?.getReader();
  return reader ? readChunks(reader, limit, () => new WebhookBodyTooLarge()) : new Uint8Array();
}
