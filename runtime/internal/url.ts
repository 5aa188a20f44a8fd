import type { OperationSpec } from '../operation.js';
import { renderSearch } from '../search.js';

/** The request URL: path parameters encoded, query values serialised the way Alma reads them. */
export function buildUrl(
  baseUrl: string,
  operation: OperationSpec,
  params: Record<string, unknown>,
  extraQuery: Record<string, string>,
): URL {
  const url = new URL(baseUrl + pathOf(operation, params));
  for (const [name, wire] of Object.entries(operation.queryParams ?? {})) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    const search = operation.search?.param === wire ? operation.search : undefined;
    url.searchParams.append(wire, search ? renderSearch(operation.name, search, value) : queryValue(value));
  }
  for (const [name, value] of Object.entries(extraQuery)) url.searchParams.set(name, value);
  return url;
}

/** The operation's path with its path parameters filled in, encoded. */
export function pathOf(
  operation: Pick<OperationSpec, 'name' | 'path' | 'pathParams'>,
  params: Record<string, unknown>,
): string {
  let path = operation.path;
  for (const [name, wire] of Object.entries(operation.pathParams ?? {})) {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`${operation.name}: the path parameter ${name} is required`);
    }
    path = path.replace(`{${wire}}`, encodeURIComponent(queryValue(value)));
  }
  return path;
}

/** Alma reads booleans as `true`/`false` and lists (`expand=loans,fees`) comma-separated. */
function queryValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(queryValue).join(',');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The URL without its API key: parsed, never pattern-matched. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.searchParams.has('apikey')) copy.searchParams.set('apikey', 'REDACTED');
  return copy.toString();
}

/** Headers for logs: the Authorization value never leaves. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      name.toLowerCase() === 'authorization' ? 'apikey REDACTED' : value,
    ]),
  );
}
