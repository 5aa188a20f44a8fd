import { AlmaError } from './errors.js';

/**
 * Alma's brief search (`q`), typed: each list operation that documents its search fields takes, besides a raw
 * string (kept for what the documentation misses), a query over its own fields, which the client renders with
 * Alma's rules. An object is one AND group (a field can appear once: the compiler refuses a repeated key, and Alma
 * answers a repeated field with no result and `total_record_count: -1`); `anyOf` joins groups with OR.
 *
 * ```ts
 * // q=last_name~Smith AND first_name~J*
 * listUsers(alma, { q: { last_name: 'Smith', first_name: { startsWith: 'J' } } });
 * // q=last_name~Smith OR last_name~Smyth
 * listUsers(alma, { q: { anyOf: [{ last_name: 'Smith' }, { last_name: 'Smyth' }] } });
 * // q=last_name~van_der_Berg
 * listUsers(alma, { q: { last_name: 'van der Berg' } });
 * ```
 */

/**
 * A field's condition: a string (contains its words, in order; `*` a wildcard), `{ startsWith }`, or `{ equals }`
 * where the operation's documentation shows `=`.
 */
export type SearchTerm<Operator extends '~' | '=' = '~'> =
  | string
  | { readonly contains: string }
  | { readonly startsWith: string }
  | ('=' extends Operator ? { readonly equals: string } : never);

/** Conditions on some of the fields, all of which must hold (` AND `). */
export type SearchAll<Field extends string, Operator extends '~' | '=' = '~'> = {
  readonly [F in Field]?: SearchTerm<Operator>;
};

/** One AND group, or several joined by ` OR ` (`anyOf`). */
export type Search<Field extends string, Operator extends '~' | '=' = '~'> =
  | SearchAll<Field, Operator>
  | { readonly anyOf: readonly SearchAll<Field, Operator>[] };

/** What the runtime knows of an operation's search, from its descriptor (the IR's `BriefSearch`). */
export interface SearchSpec {
  readonly param: string;
  readonly fields: readonly string[];
  readonly operators: readonly ('~' | '=')[];
  /** OR is not supported ("combined with AND only"). */
  readonly andOnly?: boolean;
  /** Fields that take no AND with another. */
  readonly alone?: readonly string[];
}

/** A structured query that Alma would answer with nothing or -1: refused before it is sent. */
export class AlmaQueryError extends AlmaError {
  override readonly name = 'AlmaQueryError';
}

/**
 * Renders a structured query as Alma reads it: `field~value` (or `field=value`), joined by ` AND `, groups by ` OR `.
 * A value's spaces become `_` (Alma reads an underscore as a space and refuses or mismatches an encoded one; this is
 * how php-alma-client searches for a phrase); `startsWith` appends `*`. Checks what the types cannot, for callers
 * from JavaScript or with a cast: a field the operation does not search, an empty value or query, OR where the
 * operation takes AND only, a field that takes no AND in an AND group.
 */
export function renderSearch(operation: string, spec: SearchSpec, query: unknown): string {
  if (typeof query === 'string') return query;
  const groups = isAnyOf(query) ? query.anyOf : [query];
  if (groups.length === 0) throw new AlmaQueryError(`${operation}: the query's anyOf is empty: nothing to search for`);
  if (groups.length > 1 && spec.andOnly)
    throw new AlmaQueryError(
      `${operation}: this search takes AND only (its documentation says so): send the ${groups.length} anyOf groups as separate calls`,
    );
  return groups.map((group) => renderGroup(operation, spec, group)).join(' OR ');
}

function isAnyOf(query: unknown): query is { anyOf: readonly object[] } {
  return typeof query === 'object' && query !== null && Array.isArray((query as { anyOf?: unknown }).anyOf);
}

function renderGroup(operation: string, spec: SearchSpec, group: unknown): string {
  if (typeof group !== 'object' || group === null)
    throw new AlmaQueryError(`${operation}: a query is an object of fields, or a string; got ${typeof group}`);
  const entries = Object.entries(group).filter(([, term]) => term !== undefined);
  if (entries.length === 0) throw new AlmaQueryError(`${operation}: the query names no field: nothing to search for`);
  for (const [field] of entries) {
    if (!spec.fields.includes(field))
      throw new AlmaQueryError(
        `${operation}: "${field}" is not a field this operation searches (its fields: ${spec.fields.join(', ')}); ` +
          'Alma would answer with nothing. Pass q as a string to send it anyway',
      );
    if (entries.length > 1 && spec.alone?.includes(field))
      throw new AlmaQueryError(
        `${operation}: ${field} takes no AND with another field (its documentation says so): search it on its own`,
      );
  }
  return entries.map(([field, term]) => clause(operation, spec, field, term)).join(' AND ');
}

function clause(operation: string, spec: SearchSpec, field: string, term: unknown): string {
  const where = `${operation}: ${field}`;
  if (typeof term === 'string') return `${field}~${value(where, term)}`;
  if (typeof term === 'object' && term !== null) {
    if ('contains' in term) return `${field}~${value(where, String(term.contains))}`;
    if ('startsWith' in term) return `${field}~${value(where, String(term.startsWith))}*`;
    if ('equals' in term) {
      if (!spec.operators.includes('='))
        throw new AlmaQueryError(`${where}: this search documents no "=" (exact) match; use contains`);
      return `${field}=${value(where, String(term.equals))}`;
    }
  }
  throw new AlmaQueryError(`${where}: a condition is a string, { contains }, { startsWith } or { equals }`);
}

function value(where: string, text: string): string {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '*') throw new AlmaQueryError(`${where}: the value is empty`);
  return trimmed.replace(/\s+/g, '_');
}
