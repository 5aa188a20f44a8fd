import type { Operation } from '../../generator/ir/model.js';
import { type Call, notFoundOutcome, type Outcome } from '../outcomes.js';
import { getPath, idFieldOf, type MockStore } from '../store.js';

/**
 * A supplementary operation Alma answers by redirect (`GET /items?item_barcode=…`): the record whose field the
 * parameter names (the IR's `supplementary.redirect`), found among the records of the operation whose answer it gives,
 * and a 302 to that record's own URL with the other query parameters; Alma's not-found answer when there is none.
 */
export function redirectToRecord(
  store: MockStore,
  call: Call,
  baseUrl: string,
  operations: readonly Operation[],
): Outcome | undefined {
  const supplementary = call.route.operation.supplementary;
  const redirect = supplementary?.redirect;
  const result = redirect && operations.find((op) => op.operationId === supplementary.result);
  if (!redirect || !result) return undefined;
  const wanted = call.query.get(redirect.param) ?? '';
  // The records the result operation reads: its path without the last parameter, every other parameter any value.
  const collection = result.path.replace(/\/\{[^}]+\}$/, '').replace(/\{[^}]+\}/g, 'ALL');
  const found = store.entries(collection).find((e) => String(getPath(e.record, redirect.findBy)) === wanted);
  if (!found) return notFoundOutcome(call.route, wanted, call.query);
  const query = new URLSearchParams(call.query);
  query.delete(redirect.param);
  const id = String(getPath(found.record, idFieldOf(found.path)));
  const search = query.toString();
  return { status: 302, location: `${baseUrl}${found.path}/${id}${search ? `?${search}` : ''}` };
}
