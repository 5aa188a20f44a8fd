import type { AlmaClient } from '../client.js';
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
}

export interface SafeUpdateResult<T> {
  changes: FieldChange[];
  /** What the PUT returned; absent on a dry run. */
  updated?: T;
}

/**
 * Alma's PUT replaces the whole record: this reads the full record with `get`, applies `mutate` to it (in place, or
 * by returning a new one), and PUTs the whole record back with `put`, so that every field, known to the schema or
 * not, survives. The record is mutated where it was read, so that what the codec keeps of an XML answer (attributes
 * the schema does not know) goes back as it came.
 *
 * ```ts
 * await safeUpdate(getUser, replaceUser, alma, { userId: 'jdoe' }, (user) => { user.job_description = 'Cataloger'; });
 * ```
 */
export async function safeUpdate<G extends object, P extends { body: object }, T extends P['body'], R>(
  get: Fn<G, T>,
  put: Fn<P, R>,
  client: AlmaClient,
  params: G & Omit<P, 'body'>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a mutate callback edits in place (void) or returns a new record
  mutate: (record: T) => void | T | Promise<void | T>,
  options: SafeUpdateOptions = {},
): Promise<SafeUpdateResult<R>> {
  const { dryRun, backupDir, ...callOptions } = options;
  const record = await get(client, params, callOptions);
  const before = JSON.parse(JSON.stringify(record)) as unknown;
  const mutated = (await mutate(record)) ?? record;
  const changes = differences(before, JSON.parse(JSON.stringify(mutated)) as unknown, '');
  if (dryRun) return { changes };
  if (backupDir) {
    // Node only, and loaded only when asked for: the package stays usable in browsers and type-checks without Node.
    const fsModule = 'node:fs/promises';
    const { mkdir, writeFile } = (await import(fsModule)) as {
      mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
      writeFile(file: string, text: string): Promise<void>;
    };
    await mkdir(backupDir, { recursive: true });
    const name = `${put.name || 'record'}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    await writeFile(`${backupDir.replace(/\/+$/, '')}/${name}`, `${JSON.stringify(before, null, 2)}\n`);
  }
  const updated = await put(client, { ...params, body: mutated } as unknown as P, callOptions);
  return { changes, updated };
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
