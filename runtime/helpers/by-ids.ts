import type { AlmaClient } from '../client.js';
import { itemsOfPage } from '../internal/page-items.js';
import type { CallOptions } from '../operation.js';
import type { ItemOf } from './paginate.js';

/** Where a list operation takes its ids, and how many per call (from the IR: the parameter's description). */
export interface ByIdsOptions {
  /** The parameter's name in `params` (`mmsId`). */
  param: string;
  /** Its name on the wire, which is also the entries' id field (`mms_id`). */
  wireName: string;
  /** The most ids one call takes (`100` for bibs). */
  max: number;
}

/**
 * The records of any number of ids from a list operation that takes at most `max` per call: as many calls as
 * needed (each through the limiter), the entries merged in the order the ids were asked (a repeated id asked once;
 * an id Alma does not know is absent from the result).
 */
export async function byIds<P extends object, T extends object>(
  list: (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>,
  client: AlmaClient,
  params: Omit<P, never>,
  ids: readonly string[],
  spec: ByIdsOptions,
  options?: CallOptions,
): Promise<ItemOf<T>[]> {
  const wanted = [...new Set(ids.map((id) => String(id).trim()).filter(Boolean))];
  const chunks: string[][] = [];
  for (let i = 0; i < wanted.length; i += spec.max) chunks.push(wanted.slice(i, i + spec.max));
  const pages = await Promise.all(
    chunks.map((chunk) => list(client, { ...params, [spec.param]: chunk.join(',') } as P, options)),
  );
  const entries = pages.flatMap((page) => itemsOfPage(page) as ItemOf<T>[]);
  const order = new Map(wanted.map((id, index) => [id, index]));
  const position = (entry: ItemOf<T>) =>
    order.get(String((entry as Record<string, unknown>)[spec.wireName])) ?? wanted.length;
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => position(a.entry) - position(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}
