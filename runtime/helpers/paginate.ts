import type { AlmaClient } from '../client.js';
import { itemsOfPage } from '../internal/page-items.js';
import type { CallOptions } from '../operation.js';

/** A generated list function: `listUsers(client, { limit, offset, … }, options)`. */
type ListFunction<P, T> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>;

export interface PaginateOptions extends CallOptions {
  /** Items per call. Default 100, Alma's usual maximum for `limit`. */
  pageSize?: number;
}

/**
 * Every page of a list, fetched as it is consumed: `limit`/`offset` paging that stops on an empty page, when
 * `total_record_count` is reached (read again on every page, so a count that changes while paging is followed), or,
 * when the count is −1, on a short page.
 *
 * ```ts
 * for await (const page of paginatePages(listUsers, alma, { userGroup: '08' })) console.log(page.user?.length);
 * ```
 */
export async function* paginatePages<P extends { limit?: number; offset?: number }, T extends object>(
  list: ListFunction<P, T>,
  client: AlmaClient,
  params: P,
  options: PaginateOptions = {},
): AsyncGenerator<T, void, undefined> {
  const { pageSize, ...callOptions } = options;
  const limit = pageSize ?? params.limit ?? 100;
  let offset = params.offset ?? 0;
  for (;;) {
    const page = await list(client, { ...params, limit, offset }, callOptions);
    yield page;
    const items = itemsOfPage(page);
    const total = (page as { total_record_count?: unknown }).total_record_count;
    offset += items.length;
    if (items.length === 0) return;
    // A known count decides (Alma may cap `limit` below what was asked); without one (−1), a short page ends it.
    if (typeof total === 'number' && total >= 0) {
      if (offset >= total) return;
    } else if (items.length < limit) return;
  }
}

/** Every item of a list, across pages (see `paginatePages`). */
export async function* paginate<P extends { limit?: number; offset?: number }, T extends object>(
  list: ListFunction<P, T>,
  client: AlmaClient,
  params: P,
  options: PaginateOptions = {},
): AsyncGenerator<ItemOf<T>, void, undefined> {
  for await (const page of paginatePages(list, client, params, options)) yield* itemsOfPage(page) as ItemOf<T>[];
}

/** The item type of a list document: the element type of its array property (`user` in `Users`). */
export type ItemOf<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly (infer I)[] ? I : never }[keyof T];
