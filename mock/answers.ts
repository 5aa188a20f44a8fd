import type { JsonObject } from '../runtime/xml/codec.js';
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
  /** A list entry carries its link; a single record's is `null`. */
  entry: boolean;
  /** Whether a list operation is served at this path (`…/users/jdoe/loans`): what `expand` may count. */
  isList: (path: string) => boolean;
}

export function answerOf(record: JsonObject, context: AnswerContext): JsonObject {
  // Only top-level fields change: a shallow copy keeps the stored record as it is (it is serialised right away).
  const answer = { ...record };
  if ('password' in answer) answer.password = '';
  answer.link = context.entry ? context.url : (answer.link ?? null);
  if (context.query.get('view') === 'brief') delete answer.anies;
  if (context.entry) briefHolding(answer);
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

/**
 * A holding in a list (rest_holdings.xsd) is brief: its library, location and call number, read from its MARC 852
 * ($b, $c, $h), instead of the MARC record itself.
 */
function briefHolding(entry: JsonObject): void {
  const marc = Array.isArray(entry.anies) && typeof entry.anies[0] === 'string' ? entry.anies[0] : '';
  const field = /<datafield[^>]*tag="852"[^>]*>([\s\S]*?)<\/datafield>/.exec(marc)?.[1];
  if (!field) return;
  const subfield = (code: string) => new RegExp(`<subfield code="${code}">([^<]*)</subfield>`).exec(field)?.[1];
  delete entry.anies;
  entry.library = { value: subfield('b') ?? '', desc: null };
  entry.location = { value: subfield('c') ?? '', desc: null };
  const callNumber = subfield('h');
  if (callNumber !== undefined) entry.call_number = unescapeXml(callNumber);
}

/**
 * A created bib as Alma keeps it: its new MMS id in MARC field 001 of the record, `title` and `author` taken from
 * 245 $a and 100 $a.
 */
export function deriveBib(record: JsonObject, mmsId: string): void {
  const anies = record.anies;
  if (!Array.isArray(anies) || typeof anies[0] !== 'string') return;
  let marc = anies[0];
  const field001 = `<controlfield tag="001">${mmsId}</controlfield>`;
  marc = /<controlfield tag="001">[^<]*<\/controlfield>/.test(marc)
    ? marc.replace(/<controlfield tag="001">[^<]*<\/controlfield>/, field001)
    : marc.replace(/(<leader>[^<]*<\/leader>|<record[^>]*>)/, `$1${field001}`);
  record.anies = [marc, ...anies.slice(1)];
  const subfield = (tag: string) =>
    new RegExp(`<datafield[^>]*tag="${tag}"[^>]*>[\\s\\S]*?<subfield code="a">([^<]*)</subfield>`).exec(marc)?.[1];
  const title = subfield('245');
  const author = subfield('100');
  if (title !== undefined) record.title = unescapeXml(title);
  if (author !== undefined) record.author = unescapeXml(author);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
