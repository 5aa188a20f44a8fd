import type { JsonObject } from '../runtime/xml/codec.js';
import { briefHolding } from './marc.js';
import type { MockStore } from './store.js';

/**
 * What Alma does to a record on its way out, beyond storing it: a `link` to itself on list entries (`null` on a
 * single record in JSON, as Alma writes it), passwords never returned, `view=brief` without the MARC record, and the
 * counts `expand` asks for (`expand=loans,requests,fees` on a user).
 */
export interface AnswerContext {
  store: MockStore;
  /** The record's own URL (for `link`) and store path (for its sub-collections). */
  url: string;
  path: string;
  query: URLSearchParams;
  /** A list entry carries its link; a single record's is `null`, but for those Alma links to themselves. */
  entry: boolean;
  /** The record is one of those whose single GET carries its own link (the IR's `SELF_LINKED`). */
  selfLinked?: boolean;
  /** Whether a list operation is served at this path (`…/users/jdoe/loans`): what `expand` may count. */
  isList: (path: string) => boolean;
}

export function answerOf(record: JsonObject, context: AnswerContext): JsonObject {
  // Only top-level fields change: a shallow copy keeps the stored record as it is (it is serialised right away).
  const answer = { ...record };
  if ('password' in answer) answer.password = '';
  answer.link = context.entry || context.selfLinked ? context.url : (answer.link ?? null);
  if (context.query.get('view') === 'brief') delete answer.anies;
  if (context.entry) briefHolding(answer, (library, location) => nameIn(context.store, library, location));
  for (const sub of (context.query.get('expand') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e.toLowerCase() !== 'none')) {
    const path = `${context.path}/${sub}`;
    if (!context.isList(path)) continue;
    const records = context.store.all(path);
    // Fees count as their balance, the others as how many there are.
    const value = sub === 'fees' ? records.reduce((sum, r) => sum + Number(r.balance ?? 0), 0) : records.length;
    answer[sub] = { value: String(value), link: `${context.url}/${sub}` };
  }
  return answer;
}

/** The name the configuration gives a library, or one of its locations. */
function nameIn(store: MockStore, library: string, location?: string): string | undefined {
  const libraries = '/almaws/v1/conf/libraries';
  const record =
    location === undefined ? store.get(libraries, library) : store.get(`${libraries}/${library}/locations`, location);
  return typeof record?.name === 'string' ? record.name : undefined;
}
