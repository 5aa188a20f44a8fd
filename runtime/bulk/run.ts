import { handleItem, type ItemOptions, type ItemOutcome, keyOf } from './item.js';
import { fileJournal, type ItemState, type JournalStore, readJournal, type SyncMode } from './journal.js';
import { nodeFs, nodeProcess, type ProcessLike } from './platform.js';
import { type BulkCounts, duration, noCounts, Progress, type ProgressMode } from './progress.js';
import { type BulkReport, finishRun, runFiles, trapSignals, writeFailures } from './report.js';
import { type DistributedOptions, runDistributed } from './distributed.js';

/** A bulk run's options (see the README's "Bulk runs"). */
export interface BulkOptions<Item, Result> extends ItemOptions<Item, Result> {
  /** The run's name: it names the journal and the failures CSV (`<name>.journal.jsonl`), and its queue in Redis. */
  name: string;
  /** The work: ids, CSV rows (`csvRows`), JSON lines (`jsonLines`), any (async) iterable, read as it is needed. */
  items: Iterable<Item> | AsyncIterable<Item>;
  /** The item's stable key (an id, a barcode): the same item must have the same key in every run. */
  key: (item: Item) => string;
  /** Items in progress at once (each call still waits for the client's limiter). Default 10. */
  concurrency?: number;
  /** Stop after this many failures in a row (a wrong key, a wrong field: every item would fail). Default 25. */
  stopAfterFailures?: number;
  /** Where the journal and the failures CSV go (default the working directory), and how the journal syncs. */
  journal?: { dir?: string; sync?: SyncMode };
  /**
   * At the daily limit (Alma's DAILY_THRESHOLD, or the client's `reserve`): `exit` (default) ends the run resumable,
   * with exit code 75 and the time of the reset; `wait` sleeps until the reset (midnight UTC) and goes on.
   */
  onDailyLimit?: 'exit' | 'wait';
  progress?: ProgressMode;
  /** How many items there are, for the percentage and the ETA (arrays have it already). */
  total?: number;
  /** Stop as SIGINT does when this aborts. */
  signal?: AbortSignal;
  /** Handle SIGINT and SIGTERM: finish the calls in flight, flush the journal, end resumable. Default true. */
  handleSignals?: boolean;
  /** How to run this again, for the messages. Default: the command line of this process. */
  resumeCommand?: string;
  /** Spread the run over processes and machines through BullMQ on Redis (see `DistributedOptions`). */
  distributed?: DistributedOptions;
}

/**
 * Runs a bulk job: in this process with a journal file beside it, or as one process of a distributed run (see
 * `BulkOptions`, and the README's "Bulk runs").
 */
export async function runBulk<Item, Result>(options: BulkOptions<Item, Result>): Promise<BulkReport> {
  if (options.distributed) return runDistributed({ ...options, distributed: options.distributed });
  const process = nodeProcess();
  const fs = await nodeFs();
  const files = runFiles(options.journal?.dir ?? '.', options.name);
  if (options.journal?.dir) await fs.mkdir(options.journal.dir, { recursive: true });
  const counts = noCounts();
  const total = options.total ?? (Array.isArray(options.items) ? options.items.length : undefined);
  const progress = new Progress(options.progress ?? 'auto', options.name, total, counts, process);
  const journal = options.dryRun
    ? await readJournal(files.journal, options.name)
    : await fileJournal(files.journal, options.name, {
        ...(options.journal?.sync ? { sync: options.journal.sync } : {}),
        onNotice: (message) => progress.notice(message),
      });
  const states = await journal.load();
  const run = new LocalRun(options, journal, states, counts, progress, process);
  const started = Date.now();
  let status: BulkReport['status'];
  let finalStates: Map<string, ItemState>;
  try {
    status = await run.run();
    finalStates = await journal.load();
  } finally {
    await journal.close();
  }
  const failures = options.dryRun ? undefined : await writeFailures(fs, files.failures, finalStates);
  const unknownKeys = [...run.unknownKeys];
  const resume = options.resumeCommand ?? ['node', ...process.argv.slice(1)].map(shellWord).join(' ');
  const next =
    status === 'paused'
      ? `paused at Alma's daily limit: it resets at ${run.resetAt?.toISOString()} (in ${duration(((run.resetAt?.getTime() ?? Date.now()) - Date.now()) / 1000)}); resume then with: ${resume}`
      : status === 'interrupted'
        ? `interrupted: the calls in flight finished and the journal is flushed; resume with: ${resume}`
        : status === 'stopped'
          ? `stopped after ${options.stopAfterFailures ?? DEFAULT_STOP_AFTER} failures in a row (the last: ${run.lastFailure}); fix the cause and run again: done items are skipped`
          : undefined;
  return finishRun({
    name: options.name,
    status,
    signal: run.signalName,
    counts,
    startedAt: started,
    journal: files.journal,
    failures,
    unknownKeys,
    resetAt: run.resetAt,
    next,
    progress,
  });
}

const DEFAULT_STOP_AFTER = 25;
/** Alma's budget resets at midnight UTC; a run waiting for it starts again a minute later (clocks differ). */
const RESET_MARGIN_MS = 60_000;

/** One run in this process: a pool of `concurrency` loops pulling items from the input. */
class LocalRun<Item, Result> {
  readonly unknownKeys = new Set<string>();
  resetAt: Date | undefined;
  signalName: 'SIGINT' | 'SIGTERM' | undefined;
  lastFailure: string | undefined;
  private halt: 'stopped' | 'paused' | 'interrupted' | undefined;
  private fatal: unknown;
  private failuresInARow = 0;
  private readonly seen = new Set<string>();
  /** Items read from the input so far (for messages). */
  private position = 0;
  private readonly again: { item: Item; key: string }[] = [];
  private pause: Promise<void> | undefined;
  private iterator: AsyncIterator<Item> | Iterator<Item> | undefined;
  private pulling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: BulkOptions<Item, Result>,
    private readonly journal: JournalStore,
    private readonly states: Map<string, ItemState>,
    private readonly counts: BulkCounts,
    private readonly progress: Progress,
    private readonly process: ProcessLike,
  ) {}

  async run(): Promise<'completed' | 'stopped' | 'paused' | 'interrupted'> {
    const untrap = trapSignals(this.process, this.options.handleSignals ?? true, (name) => {
      this.signalName = name;
      this.halt = 'interrupted';
      this.progress.notice(
        `${name}: finishing the calls in flight (again to quit at once; the journal is safe either way)`,
      );
    });
    const onAbort = () => {
      this.halt = 'interrupted';
    };
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    if (this.options.signal?.aborted) this.halt = 'interrupted';
    const items = this.options.items;
    this.iterator =
      Symbol.asyncIterator in items
        ? (items as AsyncIterable<Item>)[Symbol.asyncIterator]()
        : (items as Iterable<Item>)[Symbol.iterator]();
    this.progress.start();
    try {
      await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 10) }, () => this.loop()));
    } finally {
      untrap();
      this.options.signal?.removeEventListener('abort', onAbort);
    }
    if (this.fatal) throw this.fatal;
    return this.halt ?? 'completed';
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.pause) await this.pause;
      if (this.halt) return;
      let next: { item: Item; key: string } | undefined;
      let outcome: ItemOutcome;
      try {
        next = await this.next();
        if (!next) return;
        outcome = await handleItem(this.options, this.journal, next.item, next.key, this.states.get(next.key));
      } catch (error) {
        // The input cannot be read, a key is missing, or the journal cannot be written: nothing more is sent, and
        // the items in hand finish before the error is thrown.
        this.fatal ??= error;
        this.halt = 'stopped';
        return;
      }
      this.count(next, outcome);
    }
  }

  /** The next item to handle: one put back at a pause first, then the input's, each key once. */
  private async next(): Promise<{ item: Item; key: string } | undefined> {
    const again = this.again.shift();
    if (again) return again;
    const pulled = this.pulling.then(async () => {
      for (;;) {
        const step = await this.iterator!.next();
        if (step.done) return undefined;
        const key = keyOf(this.options.key, step.value, ++this.position);
        if (!this.seen.has(key)) {
          this.seen.add(key);
          return { item: step.value, key };
        }
        this.progress.notice(`the key ${key} appears again in the input: that row is skipped (each key is done once)`);
      }
    });
    this.pulling = pulled.catch(() => undefined);
    return pulled;
  }

  private count(next: { item: Item; key: string }, outcome: ItemOutcome): void {
    switch (outcome.outcome) {
      case 'paused':
        this.again.push(next);
        this.pauseAt(outcome.resetAt);
        return;
      case 'failed':
        this.counts.failed++;
        this.progress.item({
          type: 'item',
          key: next.key,
          outcome: 'failed',
          code: outcome.code,
          message: outcome.message,
        });
        if (outcome.earlier) return;
        this.lastFailure = `${outcome.code}: ${outcome.message}`;
        if (++this.failuresInARow >= (this.options.stopAfterFailures ?? DEFAULT_STOP_AFTER)) this.halt ??= 'stopped';
        return;
      case 'unknown':
        this.counts.unknown++;
        this.unknownKeys.add(next.key);
        this.progress.item({ type: 'item', key: next.key, outcome: 'unknown', message: outcome.message });
        return;
      default: {
        const name = outcome.outcome === 'would-write' ? 'wouldWrite' : outcome.outcome;
        this.counts[name]++;
        if (name !== 'skipped') this.failuresInARow = 0;
        this.progress.item({ type: 'item', key: next.key, outcome: name });
      }
    }
  }

  /** The daily limit: stop taking items; wait for the reset, or end the run resumable. */
  private pauseAt(resetAt: Date): void {
    if (this.pause || this.halt) return;
    this.resetAt = resetAt;
    if ((this.options.onDailyLimit ?? 'exit') === 'exit') {
      this.halt = 'paused';
      return;
    }
    const waitMs = Math.max(0, resetAt.getTime() + RESET_MARGIN_MS - Date.now());
    this.progress.notice(
      `bulk ${this.options.name}: Alma's daily budget is spent; waiting until it resets at ${resetAt.toISOString()} (${duration(waitMs / 1000)})`,
    );
    this.progress.stop();
    this.pause = new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      const poll = setInterval(() => {
        if (this.halt) done();
      }, 500);
      function done() {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }).then(() => {
      this.pause = undefined;
      if (!this.halt) this.progress.start();
    });
  }
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
