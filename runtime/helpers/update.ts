import type { AlmaClient } from '../client.js';
import { AlmaConflictError, AlmaVerifyError } from '../errors.js';
import type { CallOptions } from '../operation.js';

type Fn<P, T> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>;

/** One difference between the record before and after the mutation, by JSON path. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface SafeUpdateOptions extends CallOptions {
  /** Work out the changes and stop: no PUT. */
  dryRun?: boolean;
  /** Write the record as it was to `<backupDir>/<name>-<time>.json` before the PUT (Node only). */
  backupDir?: string;
  /**
   * Read the record again just before the PUT, and never overwrite a change saved since the first read (another
   * person or job): default true. `false` saves that call, for those who count calls.
   */
  checkConflicts?: boolean;
  /**
   * When the record changed since it was read: apply `mutate` again to the record as it is now (`'reapply'`, the
   * default, up to `maxTries` reads in all), or throw `AlmaConflictError` with both versions (`'fail'`).
   */
  onConflict?: 'reapply' | 'fail';
  /** Default 3. */
  maxTries?: number;
}

export interface SafeUpdateResult<T> {
  changes: FieldChange[];
  /** What the PUT returned; absent on a dry run and when nothing changed. */
  updated?: T;
  /** Whether a PUT was sent: not on a dry run, and not when the change left the record as it was. */
  written: boolean;
  /** How many times the record was read and changed (more than 1 after a conflict re-applied). */
  tries: number;
}

/**
 * Alma's PUT replaces the whole record: this reads the full record with `get`, applies `mutate` to it (in place, or
 * by returning a new one), and PUTs the whole record back with `put`, so that every field, known to the schema or
 * not, survives. The record is mutated where it was read, so that what the codec keeps of an XML answer (attributes
 * the schema does not know) goes back as it came. Two guards: a change that leaves the record as it was sends no PUT
 * (a resumed run spends no call and moves no modification date), and the record is read again before the PUT so
 * that a change saved meanwhile by someone else is never overwritten (`checkConflicts`, `onConflict`).
 *
 * ```ts
 * await safeUpdate(getUser, replaceUser, alma, { userId: 'jdoe' }, (user) => { user.job_description = 'Cataloger'; });
 * ```
 */
export function safeUpdate<G extends object, P extends { body: object }, T extends P['body'], R>(
  get: Fn<G, T>,
  put: Fn<P, R>,
  client: AlmaClient,
  params: G & Omit<P, 'body'>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a mutate callback edits in place (void) or returns a new record
  mutate: (record: T) => void | T | Promise<void | T>,
  options: SafeUpdateOptions = {},
): Promise<SafeUpdateResult<R>> {
  return guardedUpdate(get, put, client, params, mutate, options);
}

/**
 * `safeUpdate`, with a check of what the PUT returned: `verify(sent, stored)` names what did not stick (the write
 * happened; `AlmaVerifyError` says so). The record as first read is `before` in a conflict.
 */
export async function guardedUpdate<G extends object, P extends { body: object }, T extends P['body'], R>(
  get: Fn<G, T>,
  put: Fn<P, R>,
  client: AlmaClient,
  params: G & Omit<P, 'body'>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a mutate callback edits in place (void) or returns a new record
  mutate: (record: T) => void | T | Promise<void | T>,
  options: SafeUpdateOptions,
  verify?: (sent: T, stored: R) => string[],
): Promise<SafeUpdateResult<R>> {
  const { dryRun, backupDir, checkConflicts = true, onConflict = 'reapply', maxTries = 3, ...callOptions } = options;
  let record = await get(client, params, callOptions);
  const first = clone(record);
  for (let tries = 1; ; tries++) {
    const before = clone(record);
    const mutated = (await mutate(record)) ?? record;
    const changes = differences(before, clone(mutated), '');
    if (dryRun || changes.length === 0) return { changes, written: false, tries };
    if (checkConflicts) {
      const current = await get(client, params, callOptions);
      if (JSON.stringify(clone(current)) !== JSON.stringify(before)) {
        if (onConflict === 'fail' || tries >= maxTries) throw new AlmaConflictError(put.name, first, current, tries);
        record = current;
        continue;
      }
    }
    if (backupDir) await backUp(backupDir, put.name, before);
    const updated = await put(client, { ...params, body: mutated } as unknown as P, callOptions);
    const lost = verify?.(mutated, updated) ?? [];
    if (lost.length) throw new AlmaVerifyError(put.name, lost, mutated, updated);
    return { changes, updated, written: true, tries };
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The record as read, to `<dir>/<name>-<time>.json`: Node only, loaded only when asked for. */
async function backUp(dir: string, name: string, record: unknown): Promise<void> {
  // The package stays usable in browsers and type-checks without Node.
  const fsModule = 'node:fs/promises';
  const { mkdir, writeFile } = (await import(fsModule)) as {
    mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
    writeFile(file: string, text: string): Promise<void>;
  };
  await mkdir(dir, { recursive: true });
  const file = `${name || 'record'}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(`${dir.replace(/\/+$/, '')}/${file}`, `${JSON.stringify(record, null, 2)}\n`);
}

/** Alma's JSON `null` and a missing field mean the same (its XML has no element for either): not a change. */
function differences(before: unknown, after: unknown, at: string): FieldChange[] {
  if ((before ?? null) === null && (after ?? null) === null) return [];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const objects = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (objects(before) && objects(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => differences(before[key], after[key], at ? `${at}.${key}` : key));
  }
  return [{ path: at, before, after }];
}
