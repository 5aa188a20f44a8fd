import type { JsonValue } from '../operation.js';
import { handleItem, type ItemOutcome, keyOf } from './item.js';
import { type ItemState, type JournalEntry, type JournalStore, stateOf } from './journal.js';
import { bullConnection, nodeFs, nodeProcess, optionalPeer, type RedisTarget } from './platform.js';
import { type BulkCounts, duration, noCounts, Progress } from './progress.js';
import { type BulkReport, finishRun, runFiles, trapSignals, writeFailures } from './report.js';
import type { BulkOptions } from './run.js';

/**
 * A run spread over processes and machines through BullMQ on Redis: one queue per run (`alma-bulk-<name>`), the item
 * key as the job id (an item is queued once), the journal's states in a Redis hash (`alma-bulk:<name>:journal`). One
 * process is the `producer` (it reads the input, queues what is not done, reports); any number are `worker`s (they
 * run the action, with the client each is given: give them a shared limiter, `rateLimit.store: redisSlotStore(…)`).
 * A worker killed mid-item has its jobs taken over by the others when its lock expires (BullMQ's stalled jobs); the
 * journal's `sent` tells the taker that a write may have been made, so it goes to `reconcile`, never blind.
 */
export interface DistributedOptions {
  role: 'producer' | 'worker';
  /** The Redis to use (the limiter's): `redis://host:port/db` or ioredis options. */
  redis: RedisTarget;
  /**
   * How long a worker's hold on a job lasts without renewal: a killed worker's jobs are taken over after it. Default
   * 30 s.
   */
  lockMs?: number;
}

interface RedisClient {
  hget(key: string, field: string): Promise<string | null>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
  quit(): Promise<unknown>;
}
interface Job {
  id?: string;
  data: { key: string; item: JsonValue };
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}
interface BullMq {
  Queue: new (
    name: string,
    options: { connection: object },
  ) => {
    addBulk(jobs: { name: string; data: Job['data']; opts: object }[]): Promise<unknown>;
    getJobCounts(...types: string[]): Promise<Record<string, number>>;
    promoteJobs(): Promise<void>;
    close(): Promise<void>;
  };
  Worker: new (
    name: string,
    processor: (job: Job, token?: string) => Promise<unknown>,
    options: object,
  ) => { close(): Promise<void>; on(event: 'error', listener: (error: Error) => void): unknown };
  DelayedError: new () => Error;
}

const ENQUEUE_BATCH = 500;
const POLL_MS = 500;
const RESET_MARGIN_MS = 60_000;

function keysOf(name: string) {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return {
    queue: `alma-bulk-${safe}`,
    journal: `alma-bulk:${safe}:journal`,
    enqueued: `alma-bulk:${safe}:enqueued`,
    paused: `alma-bulk:${safe}:paused-until`,
  };
}

/** BullMQ job ids may not be integers nor hold `:`; this keeps every key distinct and readable. */
const jobIdOf = (key: string) => `k-${encodeURIComponent(key)}`;

/** The journal in a Redis hash: one field per item, its last entry. */
function redisJournal(
  redis: RedisClient,
  key: string,
): JournalStore & { get(item: string): Promise<ItemState | undefined> } {
  const parse = (text: string): ItemState => {
    const last = JSON.parse(text) as JournalEntry;
    return { state: stateOf(last), last };
  };
  return {
    where: `redis ${key}`,
    async load() {
      return new Map(Object.entries(await redis.hgetall(key)).map(([item, text]) => [item, parse(text)]));
    },
    async get(item) {
      const text = await redis.hget(key, item);
      return text === null ? undefined : parse(text);
    },
    async append(entry) {
      await redis.hset(key, entry.key, JSON.stringify(entry));
    },
    close: async () => undefined,
  };
}

/** Runs this process's part of a distributed run (see `DistributedOptions`). */
export async function runDistributed<Item, Result>(
  options: BulkOptions<Item, Result> & { distributed: DistributedOptions },
): Promise<BulkReport> {
  const bull = await optionalPeer<BullMq>('bullmq', 'a bulk run on several machines');
  const { Redis } = await optionalPeer<{ Redis: new (options: object) => RedisClient }>(
    'ioredis',
    'a bulk run on several machines',
  );
  const connection = bullConnection(options.distributed.redis);
  const redis = new Redis(connection);
  const keys = keysOf(options.name);
  const journal = redisJournal(redis, keys.journal);
  const setup: Setup<Item, Result> = { options, bull, connection, redis, journal, keys };
  try {
    return options.distributed.role === 'producer' ? await produce(setup) : await work(setup);
  } finally {
    await redis.quit().catch(() => undefined);
  }
}

/** What each process of a distributed run works with. */
interface Setup<Item, Result> {
  options: BulkOptions<Item, Result> & { distributed: DistributedOptions };
  bull: BullMq;
  connection: object;
  redis: RedisClient;
  journal: ReturnType<typeof redisJournal>;
  keys: ReturnType<typeof keysOf>;
}

async function produce<Item, Result>({
  options,
  bull,
  connection,
  redis,
  journal,
  keys,
}: Setup<Item, Result>): Promise<BulkReport> {
  const process = nodeProcess();
  const started = Date.now();
  const queue = new bull.Queue(keys.queue, { connection });
  const counts = noCounts();
  const total = options.total ?? (Array.isArray(options.items) ? options.items.length : undefined);
  const progress = new Progress(options.progress ?? 'auto', options.name, total, counts, process);
  const before = await journal.load();
  await redis.del(keys.enqueued);
  // Running the producer again is the resume: after a pause at the daily limit, the items put off until the reset
  // are taken now (if the budget is still spent, Alma says so at the first call, and the run pauses again).
  await redis.del(keys.paused);
  await queue.promoteJobs();
  const queued = new Set<string>();
  const seen = new Set<string>();
  const unknownKeys: string[] = [];
  const left = { skipped: 0, failed: 0, unknown: 0 };
  let batch: { name: string; data: Job['data']; opts: object }[] = [];
  const flush = async () => {
    if (batch.length) await queue.addBulk(batch);
    batch = [];
  };
  progress.start();
  try {
    for await (const item of options.items as AsyncIterable<Item>) {
      const key = keyOf(options.key, item, seen.size + 1);
      if (seen.has(key)) continue;
      seen.add(key);
      const prior = before.get(key)?.state;
      if (prior === 'done') left.skipped++;
      else if (prior === 'failed' && !options.retryFailed) left.failed++;
      else if (prior === 'unknown' && !options.reconcile) {
        left.unknown++;
        unknownKeys.push(key);
      } else {
        queued.add(key);
        const data = { key, item: JSON.parse(JSON.stringify(item)) as JsonValue };
        batch.push({ name: 'item', data, opts: { jobId: jobIdOf(key), removeOnComplete: true, removeOnFail: true } });
        if (batch.length >= ENQUEUE_BATCH) await flush();
      }
    }
    await flush();
    await redis.set(keys.enqueued, String(queued.size));
    // Until every queued item has ended (a killed worker's jobs come back once its lock expires).
    let status: BulkReport['status'] = 'completed';
    let resetAt: Date | undefined;
    for (;;) {
      const jobCounts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      const waiting = Object.values(jobCounts).reduce((a, b) => a + b, 0);
      Object.assign(counts, tally(queued, await journal.load(), left));
      const pausedUntil = await redis.get(keys.paused);
      // Paused once no job is in a worker's hands: those left waiting or delayed are taken when the run is resumed.
      if (pausedUntil && (options.onDailyLimit ?? 'exit') === 'exit' && (jobCounts.active ?? 0) === 0) {
        status = 'paused';
        resetAt = new Date(Number(pausedUntil));
        break;
      }
      if (waiting === 0) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const states = await journal.load();
    for (const key of queued) if (states.get(key)?.last.state === 'unknown') unknownKeys.push(key);
    const failures = await writeFailures(
      await nodeFs(),
      runFiles(options.journal?.dir ?? '.', options.name).failures,
      states,
    );
    const next =
      status === 'paused'
        ? `paused at Alma's daily limit: the workers take the items again after the reset at ${resetAt?.toISOString()} (in ${duration(((resetAt?.getTime() ?? 0) - Date.now()) / 1000)})`
        : undefined;
    return finishRun({
      name: options.name,
      status,
      counts,
      startedAt: started,
      journal: journal.where,
      failures,
      unknownKeys,
      resetAt,
      next,
      progress,
    });
  } finally {
    progress.stop();
    await queue.close();
  }
}

/** The producer's counts: what it left alone (done, failed or unknown earlier), and each queued item's state now. */
function tally(queued: Set<string>, states: Map<string, ItemState>, fixed: Partial<BulkCounts>): BulkCounts {
  const counts = { ...noCounts(), ...fixed };
  for (const key of queued) {
    const state = states.get(key);
    if (state?.state === 'done') counts[state.last.reconciled ? 'reconciled' : 'done']++;
    else if (state?.state === 'failed') counts.failed++;
    // `sent` with nothing after it is an item in progress here, not yet an unknown outcome.
    else if (state?.last.state === 'unknown') counts.unknown++;
  }
  return counts;
}

async function work<Item, Result>({
  options,
  bull,
  connection,
  redis,
  journal,
  keys,
}: Setup<Item, Result>): Promise<BulkReport> {
  const process = nodeProcess();
  const started = Date.now();
  const counts = noCounts();
  const progress = new Progress(options.progress ?? 'auto', options.name, undefined, counts, process);
  const queue = new bull.Queue(keys.queue, { connection });
  const unknownKeys: string[] = [];
  let resetAt: Date | undefined;
  let halt: 'paused' | 'interrupted' | undefined;
  let signalName: 'SIGINT' | 'SIGTERM' | undefined;
  const exitMode = (options.onDailyLimit ?? 'exit') === 'exit';

  const worker = new bull.Worker(
    keys.queue,
    async (job, token) => {
      const { key } = job.data;
      const item = job.data.item as Item;
      const pausedUntil = Number((await redis.get(keys.paused)) ?? 0);
      let outcome: ItemOutcome;
      if (pausedUntil > Date.now()) outcome = { outcome: 'paused', resetAt: new Date(pausedUntil) };
      else outcome = await handleItem(options, journal, item, key, await journal.get(key));
      if (outcome.outcome === 'paused') {
        resetAt = outcome.resetAt;
        await redis.set(keys.paused, String(outcome.resetAt.getTime()));
        if (exitMode) halt ??= 'paused';
        await job.moveToDelayed(outcome.resetAt.getTime() + RESET_MARGIN_MS, token);
        throw new bull.DelayedError();
      }
      if (outcome.outcome === 'unknown') unknownKeys.push(key);
      const name = outcome.outcome === 'would-write' ? 'wouldWrite' : outcome.outcome;
      counts[name]++;
      progress.item({ type: 'item', key, outcome: name });
      return name;
    },
    {
      connection,
      concurrency: Math.max(1, options.concurrency ?? 10),
      lockDuration: options.distributed.lockMs ?? 30_000,
      stalledInterval: Math.max(1_000, Math.floor((options.distributed.lockMs ?? 30_000) / 2)),
      // A job is taken over each time its worker dies: never given up on (the journal keeps it safe).
      maxStalledCount: 1_000,
    },
  );
  worker.on('error', (error) => progress.notice(`bulk ${options.name}: worker: ${error.message}`));
  const untrap = trapSignals(process, options.handleSignals ?? true, (name) => {
    signalName = name;
    halt = 'interrupted';
  });
  progress.start();
  try {
    // Until the producer has queued everything and nothing is left, or a pause, or a signal.
    for (;;) {
      if (halt || options.signal?.aborted) break;
      const enqueued = await redis.get(keys.enqueued);
      if (enqueued !== null) {
        const jobCounts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
        if (Object.values(jobCounts).reduce((a, b) => a + b, 0) === 0) break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    // Closing lets the jobs in hand finish (their journal entries are written), and takes no more.
    await worker.close();
  } finally {
    untrap();
    await queue.close();
  }
  const status: BulkReport['status'] = options.signal?.aborted ? 'interrupted' : (halt ?? 'completed');
  // A worker's report names it: the run's summary is the producer's.
  const report = finishRun({
    name: `${options.name} (worker)`,
    status,
    signal: signalName,
    counts,
    startedAt: started,
    journal: journal.where,
    failures: undefined,
    unknownKeys,
    resetAt,
    next: undefined,
    progress,
  });
  return { ...report, name: options.name };
}
