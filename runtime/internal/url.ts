import type { OperationSpec } from '../operation.js';

/** The request URL: path parameters encoded, query values serialised the way Alma reads them. */
export function buildUrl(baseUrl: string, operation: OperationSpec, params: Record<string, unknown>, apiKey?: string): string {
  let path = operation.path;
  for (const [name, wire] of Object.entries(operation.pathParams ?? {})) {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`${operation.name}: the path parameter ${name} is required`);
    }
    path = path.replace(`{${wire}}`, encodeURIComponent(String(value)));
  }
  const url = new URL(baseUrl + path);
  for (const [name, wire] of Object.entries(operation.queryParams ?? {})) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    url.searchParams.append(wire, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (apiKey !== undefined) url.searchParams.set('apikey', apiKey);
  return url.toString();
}

/** The URL without its API key: parsed, never pattern-matched. */
export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('apikey')) parsed.searchParams.set('apikey', 'REDACTED');
  return parsed.toString();
}
