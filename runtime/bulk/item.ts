import type { AlmaClient } from '../client.js';
import type { JsonValue } from '../operation.js';
import type { ItemState, JournalEntry, JournalStore } from './journal.js';
import { itemEnd, type WriteTrace } from './outcome.js';
import { BulkSetupError } from './platform.js';

/** What an action (and `reconcile`) is given besides its item. */
export interface BulkContext {
  /**
   * The client to call Alma with: the run's own, deriving from the one given, which journals each write before it is
   * sent and never repeats a write whose answer was lost (it becomes an unknown outcome instead). Calls made with
   * another client are not journalled.
   */
  client: AlmaClient;
  key: string;
  /** A dry run: the client refuses every write; show what would change and send nothing. */
  dryRun: boolean;
}

/** What `reconcile` found: the item was done (its write was made), or it is to be done again. */
export type Reconciled<Result> = { done: true; result?: Result } | { done: false };

/** The parts of a run's options that decide how one item is handled. */
export interface ItemOptions<Item, Result> {
  client: AlmaClient;
  action: (item: Item, context: BulkContext) => Promise<Result>;
  /** What of an action's result to keep in the journal (JSON). Default: nothing. */
  keep?: (result: Result) => JsonValue | undefined;
  /**
   * Settles an item whose outcome is unknown (a write was sent and its answer lost, or a crash came between): look
   * the record up by a natural key (an external id, an invoice number) and say whether the write was made. Without
   * one, such items are reported and left alone: they are never written twice.
   */
  reconcile?: (item: Item, context: BulkContext) => Promise<Reconciled<Result>>;
  /** Do again the items an earlier run left failed. Default false (they are reported as failed). */
  retryFailed?: boolean;
  dryRun?: boolean;
}

/** How an item ended in this run. */
export type ItemOutcome =
  | { outcome: 'done' | 'reconciled' | 'skipped' | 'would-write' }
  | { outcome: 'failed'; code: string; message: string; earlier?: boolean }
  | { outcome: 'unknown'; message: string }
  | { outcome: 'paused'; resetAt: Date };

/** Handles one item: skips what is done, settles an unknown outcome, runs the action, and journals how it ended. */
export async function handleItem<Item, Result>(
  options: ItemOptions<Item, Result>,
  journal: JournalStore,
  item: Item,
  key: string,
  prior: ItemState | undefined,
): Promise<ItemOutcome> {
  const dryRun = options.dryRun ?? false;
  const record = (entry: Omit<JournalEntry, 'key' | 'at'>) =>
    dryRun ? Promise.resolve() : journal.append({ key, at: new Date().toISOString(), ...entry });
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;

  if (prior?.state === 'done') return { outcome: 'skipped' };
  if (prior?.state === 'failed' && !options.retryFailed) {
    const error = prior.last.error ?? { code: 'UNKNOWN', message: 'failed in an earlier run' };
    return { outcome: 'failed', ...error, earlier: true };
  }

  const writes: WriteTrace = { sent: false, made: false };
  const context: BulkContext = {
    key,
    dryRun,
    client: options.client.derive({
      readOnly: dryRun,
      retry: { repeatWrites: false },
      onWrite: async () => {
        if (writes.sent) return;
        writes.sent = true;
        await record({ state: 'sent' });
      },
      onResponse: (event) => {
        if (event.method !== 'GET' && event.status < 300) writes.made = true;
      },
    }),
  };
  const ended = (error: unknown): Promise<ItemOutcome> => {
    const end = itemEnd(error, writes, dryRun);
    switch (end.kind) {
      case 'paused':
        return (writes.sent ? record({ state: 'requeued' }) : Promise.resolve()).then(() => ({
          outcome: 'paused',
          resetAt: end.resetAt,
        }));
      case 'unknown':
        return record({
          state: 'unknown',
          item: asJson(item),
          error: { code: 'OUTCOME_UNKNOWN', message: end.message },
        }).then(() => ({ outcome: 'unknown', message: end.message }));
      case 'would-write':
        return Promise.resolve({ outcome: 'would-write' });
      case 'failed':
        return record({ state: 'failed', item: asJson(item), error: { code: end.code, message: end.message } }).then(
          () => ({ outcome: 'failed', code: end.code, message: end.message }),
        );
    }
  };

  if (prior?.state === 'unknown') {
    if (!options.reconcile || dryRun)
      return { outcome: 'unknown', message: prior.last.error?.message ?? 'a write was sent and its answer lost' };
    try {
      const found = await options.reconcile(item, context);
      if (found.done) {
        const kept = found.result !== undefined ? options.keep?.(found.result) : undefined;
        await record({ state: 'done', reconciled: true, ...(kept !== undefined ? { result: kept } : {}) });
        return { outcome: 'reconciled' };
      }
    } catch (error) {
      // A reconcile that cannot tell leaves the item unknown (recorded again, with why), never written blind.
      const end = itemEnd(error, writes, dryRun);
      if (end.kind === 'paused') return { outcome: 'paused', resetAt: end.resetAt };
      const message = `reconcile failed: ${end.kind === 'failed' ? `${end.code}: ${end.message}` : end.kind}`;
      await record({ state: 'unknown', item: asJson(item), error: { code: 'OUTCOME_UNKNOWN', message } });
      return { outcome: 'unknown', message };
    }
  }

  await record({ state: 'started' });
  try {
    const result = await options.action(item, context);
    if (dryRun) return { outcome: 'done' };
    const kept = options.keep?.(result);
    await record({ state: 'done', ...(kept !== undefined ? { result: kept } : {}) });
    return { outcome: 'done' };
  } catch (error) {
    return ended(error);
  }
}

/** An item's key, checked: a key must be a non-empty string, the same in every run. */
export function keyOf<Item>(key: (item: Item) => string, item: Item, position: number): string {
  const value: unknown = key(item);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string' || value.trim() === '')
    throw new BulkSetupError(
      `the key of item ${position} is ${JSON.stringify(value) ?? 'undefined'}: the run's key function must give each item a ` +
        'non-empty string (an id, a barcode), the same in every run; nothing was sent for it',
    );
  return value;
}
