import type { BriefSearch } from '../generator/ir/model.js';
import type { JsonObject } from '../runtime/xml/codec.js';

/**
 * Alma's list filters, as the mock applies them: `q` (`field~value`, contains, case-insensitive, `*` a wildcard;
 * clauses joined by ` AND ` / ` OR `; `ALL~…` or `general_info~…` any field), identifier filters that take a
 * comma-separated list (`mms_id=1,2,3`), and `order_by`/`direction`.
 */

/** Parameters of a list operation that page, shape or sort it rather than filter it. */
const NOT_FILTERS = new Set([
  'limit',
  'offset',
  'q',
  'order_by',
  'direction',
  'view',
  'expand',
  'format',
  'lang',
  'apikey',
  'source_institution_code',
  'user_id_type',
  'modify_date_from',
  'modify_date_to',
]);

/** Whether the query filters the list at all (`q`, or an identifier filter with a value). */
export function hasFilters(query: URLSearchParams, filterParams: string[]): boolean {
  if (query.get('q')) return true;
  return filterParams.some((name) => !NOT_FILTERS.has(name) && (query.get(name) ?? '') !== '');
}

/** The entries whose record (`recordOf`) the query's filters keep. */
export function filterRecords<T>(
  entries: T[],
  recordOf: (entry: T) => JsonObject,
  query: URLSearchParams,
  filterParams: string[],
): T[] {
  let result = entries;
  const q = query.get('q');
  if (q) {
    const matches = matchesQuery(q);
    result = result.filter((entry) => matches(recordOf(entry)));
  }
  for (const name of filterParams) {
    const value = query.get(name);
    if (value === null || NOT_FILTERS.has(name) || value === '') continue;
    const wanted = new Set(
      value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    );
    result = result.filter((entry) => valuesOf(recordOf(entry), name).some((v) => wanted.has(v)));
  }
  return result;
}

/**
 * A brief search Alma answers with nothing and `total_record_count: -1` instead of results (php-alma-client #8): a
 * field twice in one AND group, or a field the operation does not search (where its documentation names them).
 */
export function unanswerableQuery(q: string | null, search: BriefSearch | undefined): string | undefined {
  if (!q || !search) return undefined;
  for (const group of q.split(/\s+OR\s+/i)) {
    const fields = group.split(/\s+AND\s+/i).map((clause) => /^\s*([^~=]+)[~=]/.exec(clause)?.[1]?.trim() ?? '');
    const twice = fields.find((f, i) => fields.indexOf(f) !== i);
    if (twice) return `${twice} twice`;
    const unknown = fields.find((f) => !search.fields.includes(f));
    if (unknown !== undefined) return `${unknown || '(no field)'} is not searched`;
  }
  return undefined;
}

/**
 * `last_name~Doe AND first_name~J*`, `amount=25`, `last_name~van_der_Berg` → a predicate. `~` contains (`*` a
 * wildcard), `=` equals; `_` in a value is a space, as Alma reads it; ` AND ` / ` OR ` in either case.
 */
function matchesQuery(q: string): (record: JsonObject) => boolean {
  const alternatives = q.split(/\s+OR\s+/i).map((part) =>
    part.split(/\s+AND\s+/i).map((clause) => {
      const match = /^\s*([^~=]*)([~=])(.*)$/.exec(clause) ?? [clause, clause, '~', ''];
      const field = match[1]!.trim();
      const text = match[3]!.trim().replace(/_/g, ' ');
      const pattern = match[2] === '=' ? exact(text) : wildcard(text);
      const any = /^(all|general_info)$/i.test(field);
      return (record: JsonObject) =>
        (any ? allStrings(record) : valuesOf(record, field)).some((v) => pattern.test(v.replace(/_/g, ' ')));
    }),
  );
  return (record) => alternatives.some((clauses) => clauses.every((clause) => clause(record)));
}

function exact(value: string): RegExp {
  return new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
}

function wildcard(value: string): RegExp {
  const escaped = value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(escaped, 'i');
}

/** Every value of `field` anywhere in the record (`last_name`; `email` → each address's `email_address` too). */
function valuesOf(record: unknown, field: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key: string | undefined) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, key);
      return;
    }
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, k === 'value' ? key : k);
      return;
    }
    if (node !== null && node !== undefined && key !== undefined && (key === field || key.startsWith(`${field}_`)))
      found.push(String(node));
  };
  walk(record, undefined);
  return found;
}

function allStrings(record: unknown): string[] {
  if (Array.isArray(record)) return record.flatMap(allStrings);
  if (record && typeof record === 'object') return Object.values(record).flatMap(allStrings);
  return record === null || record === undefined ? [] : [String(record)];
}

/** `order_by=last_name,first_name` and `direction=DESC`: stable, by the fields in turn. */
export function sortRecords<T>(
  entries: T[],
  recordOf: (entry: T) => JsonObject,
  orderBy: string | null,
  direction: string | null,
): T[] {
  if (!orderBy) return entries;
  const fields = orderBy
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const sign = direction?.toUpperCase() === 'DESC' ? -1 : 1;
  // Each record's sort keys found once (a record is walked per field, not per comparison).
  const keyed = entries.map((entry) => ({ entry, keys: fields.map((f) => valuesOf(recordOf(entry), f)[0] ?? '') }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = COLLATOR.compare(a.keys[i]!, b.keys[i]!);
      if (order !== 0) return sign * order;
    }
    return 0;
  });
  return keyed.map((k) => k.entry);
}

const COLLATOR = new Intl.Collator('en', { numeric: true });
