import type { FaultRule } from './settings.js';
import type { JsonObject } from '../runtime/xml/codec.js';
import type { Route } from './routes.js';

// A call as the mock serves it, and what serving it comes to: shared by the server (keys, thresholds, faults,
// validation, CRUD) and the behaviours beyond CRUD (`behaviours.ts`), which would otherwise import each other.

/** A request matched to its route, its body read. */
export interface Call {
  route: Route;
  params: string[];
  query: URLSearchParams;
  path: string;
  format: 'json' | 'xml';
  body: JsonObject | undefined;
  /** The fault that befalls the call, for the faults the store plays (`concurrent-edit`, `drop-field`). */
  fault?: FaultRule | undefined;
}

/** A record or list to answer with, one of Alma's errors, a file, or a redirect to a record's own URL. */
export type Outcome =
  | { status: number; body?: JsonObject; list?: boolean }
  | { status: number; error: { code: string; message: string } }
  | { status: number; file: { contentType: string; bytes: Buffer } }
  | { status: number; location: string };

/**
 * Alma's answer for a record that is not there: HTTP 400 with the operation's own code, its message with the
 * request's values put in (`User with identifier jdoe of type all_unique was not found.`): clients parse them.
 */
export function notFoundOutcome(route: Route, id: string, query?: URLSearchParams): Outcome {
  return {
    status: 400,
    error: { code: route.notFound.code, message: fillMessage(route.notFound.message, route, id, query) },
  };
}

/** `X` is the identifier, `Y` its type (the `…_type` parameter, or its default; else the identifying field). */
export function fillMessage(
  template: string,
  route: Route,
  id: string,
  query?: URLSearchParams,
  idField?: string,
): string {
  // Filling the message's placeholders, not deciding anything: the parameter that names the identifier's type.
  const typeParam = route.operation.queryParams.find((p) => /_type$/.test(p.wireName) || p.wireName === 'type');
  const type =
    (typeParam &&
      (query?.get(typeParam.wireName) ?? (typeParam.default !== undefined ? String(typeParam.default) : ''))) ||
    idField ||
    '';
  return template
    .replace(/\bX\b/, id)
    .replace(/identifier {2}of/, `identifier ${id} of`)
    .replace(/\bY\b/, type);
}
