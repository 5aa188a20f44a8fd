import type { ApiModel, NamedSchema, Operation, RoleKind } from '../generator/ir/model.js';
import { singular } from '../generator/ir/naming.js';
import type { XmlType } from '../runtime/xml/schema.js';
import { hasXmlType, listConventionXml } from '../generator/ir/xml.js';
import { errorOfKind, notFoundError } from '../generator/ir/errors.js';

/** How the store serves an operation. */
export type RouteKind =
  | 'list'
  | 'get'
  | 'singleton'
  | 'file'
  | 'create'
  | 'action'
  | 'replace'
  | 'replaceAll'
  | 'delete'
  | 'deleteAll';

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
  /** For lists: the JSON key of the items (`item_loan` in `{ item_loan: [...], total_record_count }`), from the IR; else empty. */
  itemKey: string;
  /** The code and message Alma answers "not found" with for this operation. */
  notFound: { code: string; message: string };
  /** For a create: the code and message of the spec's "already exists" error, when it lists one. */
  duplicate: { code: string; message: string } | undefined;
  /** A plausible code for invalid input. */
  invalidCode: string;
  /** The request body's schema, for checking a body's shape. */
  requestSchema: NamedSchema | undefined;
  /** Extra fields of a list document beside its entries and count (`bib_data` of holdings), from the schema. */
  listExtras: string[];
}

export function segmentsOf(path: string): string[] {
  return path.replace(/\/+$/, '').split('/').filter(Boolean);
}

/** Compiles every operation of the model into a route the mock can match and serve. */
export function compileRoutes(model: ApiModel, xmlTypes: Map<string, XmlType>): Route[] {
  const routes: Route[] = [];
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const segments = segmentsOf(op.path).map((s) => (/^\{.+\}$/.test(s) ? null : s));
    const last = [...segments].reverse().find((s) => s !== null) ?? '';
    const kind = routeKind(op.role.kind);
    const responseId = op.response.type?.kind === 'ref' ? op.response.type.id : undefined;
    const requestId = op.requestBody?.type.kind === 'ref' ? op.requestBody.type.id : undefined;
    const responseXml = responseId && hasXmlType(model.schemas[responseId]) ? xmlTypes.get(responseId) : undefined;
    const requestXml = requestId && hasXmlType(model.schemas[requestId]) ? xmlTypes.get(requestId) : undefined;
    const responseSchema = responseId ? model.schemas[responseId] : undefined;
    const notFound = notFoundError(op);
    const duplicate = errorOfKind(op, 'duplicate');
    const invalid = errorOfKind(op, 'invalid');
    // An untyped document (the `test` operations, a few actions) has no root the specs name: the mock writes its XML
    // under the path's last word, a name for the mock's own answer, not an Alma fact anything else reads.
    const root = responseXml?.root ?? responseSchema?.xmlRoot ?? singular(last).replace(/-/g, '_');
    const itemKey = op.role.kind === 'list' ? op.role.item : '';
    routes.push({
      operation: op,
      kind,
      method: op.method,
      segments,
      requestXml,
      // An untyped list is still written by Alma's list convention: entries repeated, the count an attribute.
      responseXml: responseXml ?? (responseSchema?.listItem ? listConventionXml(root, itemKey) : undefined),
      responseRoot: root,
      itemKey,
      notFound: { code: notFound.code, message: notFound.message },
      duplicate: duplicate && { code: duplicate.code, message: duplicate.message },
      invalidCode: invalid?.code ?? 'INVALID_REQUEST',
      requestSchema: requestId ? model.schemas[requestId] : undefined,
      listExtras:
        responseSchema?.type.kind === 'object' && responseSchema.listItem
          ? responseSchema.type.properties
              .filter((p) => p.name !== itemKey && p.name !== 'total_record_count' && p.xml.kind === 'element')
              .map((p) => p.name)
          : [],
    });
  }
  // Fixed segments before parameters: /users/ME wins over /users/{user_id}.
  return routes.sort((a, b) => specificity(b) - specificity(a));
}

/** How the store serves an operation of this role; the roles beyond CRUD are served so by the behaviours too. */
function routeKind(role: RoleKind): RouteKind {
  switch (role) {
    case 'job-run':
      return 'action';
    case 'job-instance':
      return 'get';
    case 'analytics-report':
      return 'singleton';
    default:
      return role;
  }
}

function specificity(route: Route): number {
  return route.segments.reduce<number>((n, s, i) => n + (s === null ? 0 : 2 ** (20 - i)), 0);
}

/** The route for a request, with the values of its path parameters. */
export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
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
