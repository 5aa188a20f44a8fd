import type { ApiModel, IrType, Parameter } from '../generator/ir/model.js';
import { xmlToJson, type JsonObject } from '../runtime/xml/codec.js';
import type { Route } from './routes.js';
import { jsonRefusedError } from '../generator/ir/errors.js';

// What the mock refuses before serving, as Alma would: a write with a key that may only read, a body without its
// Content-Type or in a format the operation does not take, parameters of the wrong type or value, and bodies that
// are not the operation's document.

/** A request as the checks see it. */
export interface RequestParts {
  route: Route;
  /** The path parameters' values. */
  params: string[];
  query: URLSearchParams;
  contentType: string | undefined;
  rawBody: string;
}

/** The request's body, read; or the refusal Alma would answer with (status, code, message). */
export function checkRequest(
  request: RequestParts,
  model: ApiModel,
): { body: JsonObject | undefined } | { status: number; code: string; message: string } {
  const { route, contentType } = request;
  if ((route.method === 'POST' || route.method === 'PUT') && !contentType) {
    const message = 'Content-Type header is missing: POST and PUT need one, even without a body.';
    return { status: 400, code: 'INVALID_REQUEST', message };
  }
  if (route.operation.wireFormat === 'xml' && /json/i.test(contentType ?? '')) {
    // The code the operation documents for it (60105 on bibs and holdings), else the gateway's 415.
    const refused = jsonRefusedError(route.operation);
    if (refused) return { status: 400, code: refused.code, message: refused.message };
    const message = 'This API accepts XML only: send the body with Content-Type: application/xml.';
    return { status: 415, code: 'INVALID_REQUEST', message };
  }
  const invalid = checkParameters(route, request.query, request.params);
  if (invalid) return { status: 400, code: route.invalidCode, message: invalid };
  try {
    return { body: parseBody(route, request.rawBody, contentType ?? '', model) };
  } catch (error) {
    return { status: 400, code: route.invalidCode, message: `Invalid request body: ${(error as Error).message}` };
  }
}

/** Path and query parameters against the spec: required ones present, integers, booleans and enumerations well-formed. */
function checkParameters(route: Route, query: URLSearchParams, pathValues: string[]): string | undefined {
  const inPathOrder = [...route.operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  for (const p of route.operation.pathParams) {
    const value = pathValues[inPathOrder.indexOf(p.wireName)] ?? '';
    if (value.trim() === '') return `Mandatory path parameter ${p.wireName} is empty.`;
    const problem = checkValue(p, value);
    if (problem) return problem;
  }
  for (const p of route.operation.queryParams) {
    const value = query.get(p.wireName);
    if (value === null) {
      if (p.required) return `Mandatory parameter ${p.wireName} is missing.`;
      continue;
    }
    const problem = checkValue(p, value);
    if (problem) return problem;
  }
  return undefined;
}

function checkValue(p: Parameter, value: string): string | undefined {
  if (p.type === 'integer' && !/^-?\d+$/.test(value))
    return `Parameter ${p.wireName} must be an integer, got "${value}".`;
  if (p.type === 'number' && !Number.isFinite(Number(value)))
    return `Parameter ${p.wireName} must be a number, got "${value}".`;
  if (p.type === 'boolean' && value !== 'true' && value !== 'false')
    return `Parameter ${p.wireName} must be true or false, got "${value}".`;
  if (p.enum?.length && !p.enum.includes(value))
    return `Parameter ${p.wireName} must be one of ${p.enum.join(', ')}, got "${value}".`;
  return undefined;
}

/** The request body in either format, checked for the schema's required fields. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function parseBody(route: Route, text: string, contentType: string, model: ApiModel): JsonObject | undefined {
  if (text.trim() === '') {
    if (route.operation.requestBody?.required) throw new Error('a body is required');
    return undefined;
  }
  // Keys that would reach an object's prototype are dropped on the way in: never stored, never served back.
  const body = /json/.test(contentType)
    ? (JSON.parse(text, (key, value: unknown) => (RESERVED_KEYS.has(key) ? undefined : value)) as JsonObject)
    : xmlToJson(text, route.requestXml);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected an object');
  const schema = route.requestSchema;
  if (schema?.type.kind === 'object') {
    // The identifier and the link are what Alma assigns to a record it creates: a body may not have them yet.
    const missing = schema.type.properties.filter(
      (p) => p.required && !(p.name in body) && !/^(link|id|mms_id)$/.test(p.name),
    );
    if (missing.length) throw new Error(`missing mandatory field(s) ${missing.map((p) => p.name).join(', ')}`);
    const problem = shapeProblem(body, schema.type, model, '', 0);
    if (problem) throw new Error(problem);
  }
  return body;
}

/**
 * Where a body does not have the shape its schema gives (a list where an object goes, an object for a number):
 * Alma refuses such a body. Fields the schema does not know pass, as they do at Alma; `null` is an empty field.
 */
function shapeProblem(value: unknown, type: IrType, model: ApiModel, at: string, depth: number): string | undefined {
  if (value === null || value === undefined || depth > 12) return undefined;
  const where = at || 'the body';
  switch (type.kind) {
    case 'ref': {
      const schema = model.schemas[type.id];
      return schema ? shapeProblem(value, schema.type, model, at, depth + 1) : undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return `${where} must be an object`;
      for (const p of type.properties) {
        const problem = shapeProblem(
          (value as JsonObject)[p.name],
          p.type,
          model,
          at ? `${at}.${p.name}` : p.name,
          depth + 1,
        );
        if (problem) return problem;
      }
      return undefined;
    }
    case 'array':
      if (!Array.isArray(value)) return `${where} must be a list`;
      for (const [i, item] of value.entries()) {
        const problem = shapeProblem(item, type.items, model, `${where}[${i}]`, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'union':
      // XML gives text where JSON gives numbers and booleans: a scalar of any kind is a scalar.
      return typeof value === 'object'
        ? `${where} must be a single value, not ${Array.isArray(value) ? 'a list' : 'an object'}`
        : undefined;
    case 'document':
      return typeof value !== 'object' || Array.isArray(value) ? `${where} must be an object` : undefined;
    case 'unknown':
    case 'file':
      return undefined;
  }
}
