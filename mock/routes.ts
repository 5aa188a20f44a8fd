import type { ApiModel, Operation } from '../generator/ir/model.js';
import { singular } from '../generator/ir/naming.js';
import type { XmlType } from '../runtime/xml-schema.js';
import { hasXmlType } from '../generator/xml-types.js';

/** How the store serves an operation. */
export type RouteKind = 'list' | 'get' | 'singleton' | 'create' | 'action' | 'replace' | 'replaceAll' | 'delete' | 'deleteAll';

export interface Route {
  operation: Operation;
  kind: RouteKind;
  method: string;
  /** Path segments; `null` where a parameter goes. */
  segments: (string | null)[];
  /** XML mappings of the bodies, when the schema has one. */
  requestXml: XmlType | undefined;
  responseXml: XmlType | undefined;
  /** XML document element of the response, for untyped documents too. */
  responseRoot: string;
  /** For lists: the JSON key of the items (`user` in `{ user: [...], total_record_count }`). */
  itemKey: string;
  /** The code and message Alma answers "not found" with for this operation. */
  notFound: { code: string; message: string };
  /** A plausible code for invalid input. */
  invalidCode: string;
}

export function segmentsOf(path: string): string[] {
  return path.replace(/\/+$/, '').split('/').filter(Boolean);
}

/** Compiles every operation of the model into a route the mock can match and serve. */
export function compileRoutes(model: ApiModel, xmlTypes: Map<string, XmlType>): Route[] {
  const routes: Route[] = [];
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const segments = segmentsOf(op.path).map((s) => (/^\{.+\}$/.test(s) ? null : s));
    const endsWithParam = segments.at(-1) === null;
    const last = [...segments].reverse().find((s) => s !== null) ?? '';
    const kind = routeKind(op, endsWithParam);
    const responseId = op.response.type?.kind === 'ref' ? op.response.type.id : undefined;
    const requestId = op.requestBody?.type.kind === 'ref' ? op.requestBody.type.id : undefined;
    const responseXml = responseId && hasXmlType(model.schemas[responseId]) ? xmlTypes.get(responseId) : undefined;
    const requestXml = requestId && hasXmlType(model.schemas[requestId]) ? xmlTypes.get(requestId) : undefined;
    const listProp = responseXml?.props.find((p) => p.list || p.wrapper !== undefined);
    const notFound = op.errorCodes.find((c) => c.notFound) ?? { code: '402203', message: 'Input parameters X is not valid.' };
    const invalid = op.errorCodes.find((c) => /invalid|not valid|parameter|mandatory|missing|illegal/i.test(c.message));
    routes.push({
      operation: op,
      kind,
      method: op.method,
      segments,
      requestXml,
      responseXml,
      responseRoot: responseXml?.root ?? (responseId ? model.schemas[responseId]?.xmlRoot : undefined) ?? singular(last).replace(/-/g, '_'),
      itemKey: listProp?.key ?? singular(last).replace(/-/g, '_'),
      notFound: { code: notFound.code, message: notFound.message },
      invalidCode: invalid?.code ?? 'INVALID_REQUEST',
    });
  }
  // Fixed segments before parameters: /users/ME wins over /users/{user_id}.
  return routes.sort((a, b) => specificity(b) - specificity(a));
}

function routeKind(op: Operation, endsWithParam: boolean): RouteKind {
  switch (op.method) {
    case 'GET':
      return endsWithParam ? 'get' : op.exportName.startsWith('list') ? 'list' : 'singleton';
    case 'POST':
      return endsWithParam ? 'action' : op.exportName.startsWith('create') ? 'create' : 'action';
    case 'PUT':
      return endsWithParam ? 'replace' : 'replaceAll';
    case 'DELETE':
      return endsWithParam ? 'delete' : 'deleteAll';
  }
}

function specificity(route: Route): number {
  return route.segments.reduce<number>((n, s, i) => n + (s === null ? 0 : 2 ** (20 - i)), 0);
}

/** The route for a request, with the values of its path parameters. */
export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  const parts = segmentsOf(path);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const expected = route.segments[i];
      if (expected === null) params.push(decodeURIComponent(parts[i]!));
      else if (expected !== parts[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return undefined;
}
