import type { JsonValue } from '../operation.js';
import { BulkSetupError, type FileHandleLike, type FsLike, nodeFs } from './platform.js';

/**
 * What a journal records of an item, one entry per change, the last one winning:
 * - `started`: its action began (nothing sent yet: a crash here leaves it to be done again);
 * - `sent`: a write is about to leave (recorded, and on disk as far as `sync` says, before it is sent);
 * - `done`: the action ended well (with what `keep` kept of its result); `reconciled` says it was found done by
 *   `reconcile` after an unknown outcome;
 * - `failed`: Alma (or the action) refused it, with Alma's error code and message and the item, for the failures CSV;
 * - `unknown`: a write was sent and its answer lost: it may or may not have been made;
 * - `requeued`: a write was refused before it was made (the daily limit): the item is to be done again.
 */
export type JournalState = 'started' | 'sent' | 'done' | 'failed' | 'unknown' | 'requeued';

export interface JournalEntry {
  key: string;
  state: JournalState;
  /** When, as an ISO time. */
  at: string;
  result?: JsonValue;
  reconciled?: boolean;
  error?: { code: string; message: string };
  item?: JsonValue;
}

/** An item's state after replaying its entries: what a resumed run does with it. */
export interface ItemState {
  /** `pending` (to do), `done`, `failed`, or `unknown` (a write was sent and nothing says how it ended). */
  state: 'pending' | 'done' | 'failed' | 'unknown';
  last: JournalEntry;
}

/** Where a run's entries are kept: a local file (`fileJournal`), or Redis when the run spans machines. */
export interface JournalStore {
  /** Where it is, for messages: a path, or a Redis key. */
  readonly where: string;
  /** Every item's state, from the entries so far (this run's included). */
  load(): Promise<Map<string, ItemState>>;
  /** Records an entry; resolves once it would survive the process being killed. */
  append(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
}

/**
 * The state an item's last entry leaves it in: a `sent` with nothing after it is a write whose outcome is unknown; a
 * `started` with nothing after it sent nothing, and is done again.
 */
export function stateOf(last: JournalEntry): ItemState['state'] {
  switch (last.state) {
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'started':
    case 'requeued':
      return 'pending';
    default:
      return 'unknown';
  }
}

/**
 * How often the file is forced to disk (`fdatasync`). Every mode writes each entry to the file before the write it
 * records is sent, so a killed process (`kill -9`) loses nothing; the modes differ on a machine that loses power:
 * - `batch` (default): at most every 200 ms, so such a crash can forget the last 200 ms of entries;
 * - `always`: before each batch of entries is taken as recorded (costlier: see the README's measurements);
 * - `none`: when the run ends only.
 */
export type SyncMode = 'batch' | 'always' | 'none';

const HEADER = 'alma-bulk-journal';
const SYNC_EVERY_MS = 200;

/**
 * The embedded journal: a JSON-lines file, append-only. Its first line names the format and the run; each further
 * line is a `JournalEntry`. Entries that arrive together are written in one `write`. A line cut short by a crash
 * (the last one) is dropped when the journal is opened again, and said so.
 */
export async function fileJournal(
  path: string,
  run: string,
  options: { sync?: SyncMode; onNotice?: (message: string) => void } = {},
): Promise<JournalStore> {
  const fs = await nodeFs();
  const existing = await fs.readFile(path, 'utf8').catch((error: { code?: string }) => {
    if (error.code === 'ENOENT') return undefined;
    throw new BulkSetupError(`the journal ${path} cannot be read: ${(error as unknown as Error).message}`);
  });
  const states = existing === undefined ? new Map<string, ItemState>() : replay(existing, path, run);
  const handle = await fs.open(path, 'a');
  const kept = existing === undefined ? '' : existing.slice(0, existing.lastIndexOf('\n') + 1);
  if (existing !== undefined && kept.length < existing.length) {
    await handle.truncate(new TextEncoder().encode(kept).length);
    options.onNotice?.(
      `the journal's last line was cut short by a crash (${existing.length - kept.length} characters): dropped`,
    );
  }
  if (kept.trim() === '')
    await handle.write(`${JSON.stringify({ [HEADER]: 1, run, created: new Date().toISOString() })}\n`);
  return new FileJournal(path, handle, states, options.sync ?? 'batch', fs);
}

class FileJournal implements JournalStore {
  private queued: string[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;
  private dirty = false;
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;

  constructor(
    readonly where: string,
    private readonly handle: FileHandleLike,
    private readonly states: Map<string, ItemState>,
    private readonly sync: SyncMode,
    readonly fs: FsLike,
  ) {}

  async load(): Promise<Map<string, ItemState>> {
    return new Map(this.states);
  }

  append(entry: JournalEntry): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.states.set(entry.key, { state: stateOf(entry), last: entry });
    this.queued.push(`${JSON.stringify(entry)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.writing ??= this.drain();
    return done;
  }

  /** Writes what is queued, batch after batch, until nothing is. */
  private async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const lines = this.queued.join('');
      const waiters = this.waiters;
      this.queued = [];
      this.waiters = [];
      try {
        await this.handle.write(lines);
        if (this.sync === 'always') await this.handle.datasync();
        else this.dirty = true;
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        this.failure = new BulkSetupError(
          `the journal ${this.where} cannot be written (${(error as Error).message}): the run stops, and nothing ` +
            'more is sent; free the disk and run again to resume',
        );
        for (const waiter of [...waiters, ...this.waiters]) waiter.reject(this.failure);
        this.waiters = [];
        this.queued = [];
      }
    }
    this.writing = undefined;
    if (this.sync === 'batch' && this.dirty && !this.syncTimer)
      this.syncTimer = setTimeout(() => {
        this.syncTimer = undefined;
        this.dirty = false;
        this.handle.datasync().catch(() => undefined);
      }, SYNC_EVERY_MS);
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.sync !== 'none' || this.dirty) await this.handle.datasync().catch(() => undefined);
    await this.handle.close();
  }
}

/** The states a journal file holds, read without opening it for writing (a dry run writes nothing). */
export async function readJournal(path: string, run: string): Promise<JournalStore> {
  const text = await (await nodeFs()).readFile(path, 'utf8').catch((error: { code?: string }) => {
    if (error.code === 'ENOENT') return '';
    throw new BulkSetupError(`the journal ${path} cannot be read: ${(error as unknown as Error).message}`);
  });
  const states = replay(text, path, run);
  return {
    where: path,
    load: async () => new Map(states),
    append: async () => undefined,
    close: async () => undefined,
  };
}

/** Every item's state from a journal's text; a damaged line other than the last names its line and the fix. */
export function replay(text: string, where: string, run: string): Map<string, ItemState> {
  const states = new Map<string, ItemState>();
  const lines = text.split('\n');
  // The last element is '' after a complete line, or a line cut short by a crash: dropped either way.
  lines.pop();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new BulkSetupError(
        `the journal ${where} is damaged at line ${index + 1} (not JSON): it was edited or overwritten; ` +
          'restore it, or move it away to start the run afresh',
      );
    }
    const header = (parsed as Record<string, unknown>)[HEADER];
    if (index === 0) {
      if (header === undefined)
        throw new BulkSetupError(`${where} is not a bulk-run journal (its first line does not say so)`);
      const named = (parsed as { run?: unknown }).run;
      if (named !== run)
        throw new BulkSetupError(
          `the journal ${where} belongs to the run "${String(named)}", not "${run}": name the run as it was named, ` +
            'or give this run its own journal',
        );
      return;
    }
    const entry = parsed as JournalEntry;
    if (typeof entry.key !== 'string' || typeof entry.state !== 'string')
      throw new BulkSetupError(`the journal ${where} is damaged at line ${index + 1} (an entry without key or state)`);
    states.set(entry.key, { state: stateOf(entry), last: entry });
  });
  return states;
}
