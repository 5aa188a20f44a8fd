import type { AlmaClient } from '../client.js';
import { diffRecords, formatMarcDiff, type MarcChange } from '../marc/diff.js';
import { marcOf, type WithMarc, withMarc } from '../marc/embedded.js';
import type { MarcRecord } from '../marc/record.js';
import type { CallOptions } from '../operation.js';
import { guardedUpdate, type SafeUpdateOptions } from './update.js';

type Fn<P, T> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>;

/** Tags Alma rewrites on every save, whatever was sent: not a lost change. */
const REWRITTEN_BY_ALMA = new Set(['005']);

export interface MarcUpdateOptions extends SafeUpdateOptions {
  /** Compare the record Alma returns with the one sent, field by field (default true). */
  verify?: boolean;
  /** Where a dry run prints its diff. Default `console.log`. */
  print?: (diff: string) => void;
}

export interface MarcUpdateResult<R> {
  /** The edit, field by field (`- 650 _0 $a Old`, `+ 650 _0 $a New`); empty when it changed nothing. */
  changes: MarcChange[];
  diff: string;
  /** What the PUT returned; absent on a dry run and when nothing changed. */
  updated?: R;
  /** Whether a PUT was sent. */
  written: boolean;
  /** How many times the edit was applied (more than 1 after a conflict re-applied it to a fresh record). */
  tries: number;
}

/**
 * Edits the MARC record of a bib, holding or authority safely: reads the whole record, applies `edit` to its MARC (in
 * place, or by returning a new record; the Alma record is the second argument), and writes the whole record back.
 * An edit that changes nothing sends no PUT. Immediately before the PUT the record is read again: if another writer
 * saved it meanwhile, the edit is applied again to the fresh record (`onConflict: 'reapply'`, the default, bounded by
 * `maxTries`) or `AlmaConflictError` carries both versions (`'fail'`). After the PUT, the record Alma returns is
 * compared with the one sent, field by field: a field the edit set that Alma dropped or altered (beyond `005`, which
 * Alma rewrites on every save) raises `AlmaVerifyError` naming the fields. A dry run prints the field-level diff and
 * sends nothing. Every call goes through the client's limiter and counts in the daily budget.
 */
export async function updateMarc<G extends object, P extends { body: object }, T extends P['body'] & WithMarc, R>(
  get: Fn<G, T>,
  put: Fn<P, R>,
  client: AlmaClient,
  params: G & Omit<P, 'body'>,
  // biome-ignore lint/suspicious/noConfusingVoidType: an edit changes the record in place (void) or returns a new one
  edit: (marc: MarcRecord, record: T) => void | MarcRecord | Promise<void | MarcRecord>,
  options: MarcUpdateOptions = {},
): Promise<MarcUpdateResult<R>> {
  const { verify = true, print = console.log, ...updateOptions } = options;
  let changes: MarcChange[] = [];
  const result = await guardedUpdate(
    get,
    put,
    client,
    params,
    async (record) => {
      const before = marcOf(record);
      const marc = marcOf(record);
      const edited = (await edit(marc, record)) ?? marc;
      changes = diffRecords(before, edited);
      withMarc(record, edited);
    },
    updateOptions,
    verify ? (sent, stored) => lostChanges(changes, marcOf(sent), marcOf(stored as WithMarc)) : undefined,
  );
  const diff = formatMarcDiff(changes);
  if (options.dryRun) print(diff || '(no change)');
  return {
    changes,
    diff,
    written: result.written,
    tries: result.tries,
    ...(result.updated ? { updated: result.updated } : {}),
  };
}

/**
 * The edit's changes that did not stick: a field it added that the stored record lacks, or one it removed that the
 * stored record still has (counted, so that one of three repeated 650s is told apart). 005 is Alma's to rewrite.
 */
function lostChanges(changes: readonly MarcChange[], sent: MarcRecord, stored: MarcRecord): string[] {
  const count = (record: MarcRecord) => {
    const lines = new Map<string, number>();
    for (const line of record.toString().split('\n')) lines.set(line, (lines.get(line) ?? 0) + 1);
    return lines;
  };
  const [sentLines, storedLines] = [count(sent), count(stored)];
  const lost: string[] = [];
  for (const { kind, field } of changes) {
    if (REWRITTEN_BY_ALMA.has(field.slice(0, 3))) continue;
    const [want, got] = [sentLines.get(field) ?? 0, storedLines.get(field) ?? 0];
    if (kind === 'added' && got < want) lost.push(`${field} (sent, not stored)`);
    if (kind === 'removed' && got > want) lost.push(`${field} (removed, still stored)`);
  }
  return [...new Set(lost)];
}
