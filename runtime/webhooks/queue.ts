import { bullConnection, optionalPeer, type RedisTarget } from '../bulk/platform.js';
import type { WebhookEnvelope } from './types.js';

/**
 * Events handed to a BullMQ queue instead of run in the listener's process: the listener answers Alma once the event
 * is queued (its webhook id as the job id: queued once), and workers anywhere run `onEvent` with BullMQ's retries and
 * its takeover of a dead worker's jobs. The queue is an optional peer: `npm install bullmq ioredis`.
 */
export interface WebhookQueueOptions {
  /** The Redis the queue lives in: `redis://host:port/db` or ioredis options. */
  redis: RedisTarget;
  /** The queue's name. Default `alma-webhooks`. */
  name?: string;
}

interface Bull {
  Queue: new (
    name: string,
    options: { connection: object },
  ) => {
    add(name: string, data: unknown, options: object): Promise<unknown>;
    close(): Promise<void>;
  };
  Worker: new (
    name: string,
    processor: (job: { data: unknown; id?: string }) => Promise<unknown>,
    options: object,
  ) => { close(): Promise<void>; on(event: 'failed', listener: (job: unknown, error: Error) => void): unknown };
}

const DEFAULT_NAME = 'alma-webhooks';

/** The listener's side: adds each new event to the queue. */
export async function webhookQueue(options: WebhookQueueOptions, attempts: number, retryDelayMs: number) {
  const bull = await optionalPeer<Bull>('bullmq', 'queueing webhook events (queue)');
  const queue = new bull.Queue(options.name ?? DEFAULT_NAME, { connection: bullConnection(options.redis) });
  return {
    add: (event: WebhookEnvelope) =>
      queue.add('event', event, {
        // BullMQ job ids may not hold `:` nor be integers.
        jobId: `webhook-${encodeURIComponent(String(event.id))}`,
        attempts,
        backoff: { type: 'exponential', delay: retryDelayMs },
        removeOnComplete: true,
        removeOnFail: 1000,
      }),
    close: () => queue.close(),
  };
}

/**
 * A worker that runs `onEvent` for the events a listener queued (`createWebhookHandler({ queue })`), on any machine:
 * a throw is tried again by BullMQ with the listener's `attempts` and backoff; `close()` lets the events in hand
 * finish.
 */
export async function runWebhookWorker<Event>(
  options: WebhookQueueOptions & {
    onEvent: (event: Event) => void | Promise<void>;
    /** An event that failed every try (default: logged). */
    onError?: (error: unknown, event: Event) => void;
    concurrency?: number;
  },
): Promise<{ close(): Promise<void> }> {
  const bull = await optionalPeer<Bull>('bullmq', 'a webhook worker (runWebhookWorker)');
  const worker = new bull.Worker(
    options.name ?? DEFAULT_NAME,
    async (job) => {
      await options.onEvent(job.data as Event);
    },
    { connection: bullConnection(options.redis), concurrency: options.concurrency ?? 4 },
  );
  worker.on('failed', (job, error) => {
    const { data, attemptsMade, opts } = job as { data: Event; attemptsMade: number; opts: { attempts?: number } };
    if (attemptsMade < (opts.attempts ?? 1)) return;
    if (options.onError) options.onError(error, data);
    else console.error(`alma webhook: the handler failed every try: ${error.message}`);
  });
  return { close: () => worker.close() };
}
