import { AlmaError } from './errors.js';
import type { AlmaClient } from './client.js';
import type { CallOptions, ResponseMeta } from './operation.js';

/** A parsed body together with the response's status, headers and remaining daily budget. */
export interface WithResponse<T> {
  data: T;
  response: ResponseMeta;
}

/**
 * Calls a generated function and returns its result with the response metadata:
 *
 * ```ts
 * const { data: user, response } = await withResponse(getUser, alma, { userId: 'jdoe' });
 * console.log(response.status, response.remaining);
 * ```
 */
export async function withResponse<P, T>(
  fn: (client: AlmaClient, params: P, options?: CallOptions) => Promise<T>,
  client: AlmaClient,
  params: P,
  options: CallOptions = {},
): Promise<WithResponse<T>> {
  let meta: ResponseMeta | undefined;
  const data = await fn(client, params, {
    ...options,
    onResponseMeta: (m) => {
      meta = m;
      options.onResponseMeta?.(m);
    },
  });
  if (!meta) throw new AlmaError('withResponse: the function did not call Alma');
  return { data, response: meta };
}
