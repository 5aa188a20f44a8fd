import type { AlmaClient } from '../client.js';
import { AlmaApiError } from '../errors.js';
import { itemsOfPage } from '../internal/page-items.js';
import type { CallOptions } from '../operation.js';

type Fn<P, T> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>;

/**
 * The first record a list operation finds (the institution's copy of a Network Zone record: `GET /bibs?nz_mms_id=`),
 * or `undefined` when there is none, which Alma answers with an error (`noneCodes`, from the operation's spec).
 */
export async function findOne<P, L extends object>(
  list: Fn<P, L>,
  client: AlmaClient,
  params: P,
  noneCodes: readonly string[],
  options?: CallOptions,
): Promise<unknown> {
  try {
    return itemsOfPage(await list(client, params, options))[0];
  } catch (error) {
    if (error instanceof AlmaApiError && error.status === 400 && noneCodes.includes(error.code)) return undefined;
    throw error;
  }
}
