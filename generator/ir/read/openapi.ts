import { GeneratorError, joinPointer } from '../../errors.js';
import type { Body, ErrorCode, HttpMethod, IrType, Operation, Parameter, Response, ScalarType } from '../model.js';
import { errorKindOf } from '../errors.js';
import { camelCase, entityOf } from '../naming.js';
import type { SchemaRegistry } from '../registry.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];
const IGNORED_PATH_KEYS = new Set(['parameters', 'summary', 'description', 'servers']);
const DOCS_BASE = 'https://developers.exlibrisgroup.com/alma/apis/docs';

interface SpecNode {
  [key: string]: unknown;
}

/** Checks the top level of an area spec: an OpenAPI 3.0 or 3.1 document with paths. */
export function checkSpec(spec: unknown, file: string): asserts spec is SpecNode {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new GeneratorError(
      file,
      '',
      'an area spec must be a JSON or YAML object',
      'point the area at an OpenAPI 3 document',
    );
  }
  const version = (spec as SpecNode).openapi ?? (spec as SpecNode).swagger;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version)) {
    throw new GeneratorError(
      file,
      (spec as SpecNode).swagger !== undefined ? '/swagger' : '/openapi',
      `unsupported OpenAPI version ${JSON.stringify(version ?? null)}: alma-codegen reads OpenAPI 3.0 and 3.1`,
      'use the OpenAPI 3 spec Ex Libris publishes (convert a Swagger 2.0 document with a converter first)',
    );
  }
  const paths = (spec as SpecNode).paths;
  if (paths === null || typeof paths !== 'object') {
    throw new GeneratorError(
      file,
      '/paths',
      'the spec has no paths object',
      'check that the file is a complete area spec',
    );
  }
}

/** Every operation of one area spec, in spec order, without export names (assigned across all areas). */
export function readOperations(
  area: string,
  spec: SpecNode,
  file: string,
  registry: SchemaRegistry,
): Omit<Operation, 'exportName' | 'role'>[] {
  const operations: Omit<Operation, 'exportName' | 'role'>[] = [];
  for (const [path, item] of Object.entries(spec.paths as Record<string, SpecNode>)) {
    const pathAt = joinPointer('/paths', path);
    for (const [key, op] of Object.entries(item)) {
      if (IGNORED_PATH_KEYS.has(key)) continue;
      const method = key.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) {
        throw new GeneratorError(
          file,
          joinPointer(pathAt, key),
          `unsupported method "${key}": Alma uses get, post, put and delete`,
          'remove the method or report it so that we add it',
        );
      }
      const at = joinPointer(pathAt, key);
      operations.push(readOperation(area, method, path, op as SpecNode, item, spec, { file, at }, registry));
    }
  }
  return operations;
}

function readOperation(
  area: string,
  method: HttpMethod,
  path: string,
  op: SpecNode,
  item: SpecNode,
  spec: SpecNode,
  where: Where,
  registry: SchemaRegistry,
): Omit<Operation, 'exportName' | 'role'> {
  const declared = [...asArray(item.parameters), ...asArray(op.parameters)].map((p, i) =>
    resolveLocal(spec, p, { file: where.file, at: joinPointer(where.at, 'parameters', i) }),
  );
  const parameters = declared.map((p, i) =>
    readParameter(p, { file: where.file, at: joinPointer(where.at, 'parameters', i) }),
  );
  checkPathParameters(path, parameters, where);
  checkParameterNames(parameters, where);
  const responses = (op.responses ?? {}) as Record<string, SpecNode>;
  const entity = entityOf(path);
  const requestBody = op.requestBody
    ? readBody(
        resolveLocal(spec, op.requestBody, where),
        { file: where.file, at: joinPointer(where.at, 'requestBody') },
        registry,
        entity,
      )
    : undefined;
  if (requestBody && parameters.some((p) => p.name === 'body')) {
    throw new GeneratorError(
      where.file,
      joinPointer(where.at, 'parameters'),
      'a parameter named "body" clashes with the request body in params',
      'rename the parameter in the spec',
    );
  }
  return {
    area,
    operationId: typeof op.operationId === 'string' ? op.operationId : `${method.toLowerCase()}${path}`,
    method,
    path,
    summary: text(op.summary),
    description: text(op.description),
    docsUrl: `${DOCS_BASE}/${area}/${Buffer.from(`${method} ${path}`).toString('base64').replace(/=+$/, '')}/`,
    pathParams: parameters.filter((p) => p.in === 'path'),
    queryParams: parameters.filter((p) => p.in === 'query'),
    headerParams: parameters.filter((p) => p.in === 'header'),
    ...(requestBody ? { requestBody } : {}),
    response: readSuccess(responses, spec, where, registry, entity),
    errorCodes: harvestErrorCodes(text((responses['400'] as SpecNode | undefined)?.description)),
  };
}

interface Where {
  file: string;
  at: string;
}

function readParameter(p: SpecNode, where: Where): Parameter {
  const location = p.in;
  if (location !== 'path' && location !== 'query' && location !== 'header') {
    throw new GeneratorError(
      where.file,
      joinPointer(where.at, 'in'),
      `unsupported parameter location ${JSON.stringify(location)}`,
      'use path, query or header parameters',
    );
  }
  const wireName = typeof p.name === 'string' ? p.name : '';
  if (!wireName)
    throw new GeneratorError(
      where.file,
      joinPointer(where.at, 'name'),
      'parameter without a name',
      'give the parameter a name',
    );
  const schema = (p.schema ?? {}) as SpecNode;
  const type = scalarType(schema.type, { file: where.file, at: joinPointer(where.at, 'schema', 'type') });
  const coerced = coerceDefault(schema.default, type);
  return {
    wireName,
    name: camelCase(wireName),
    in: location,
    required: location === 'path' || p.required === true,
    type,
    ...(coerced !== undefined ? { default: coerced } : {}),
    ...(Array.isArray(schema.enum) ? { enum: schema.enum.map(String) } : {}),
    description: text(p.description),
  };
}

function scalarType(type: unknown, where: Where): ScalarType {
  if (type === undefined) return 'string';
  if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') return type;
  throw new GeneratorError(
    where.file,
    where.at,
    `unsupported parameter type ${JSON.stringify(type)}`,
    'Alma parameters are strings, integers, numbers or booleans; correct the schema',
  );
}

/**
 * The specs write defaults as strings (`"10"`, `"true"`) whatever the type; coerce them. An empty or
 * unparseable default is no default.
 */
export function coerceDefault(value: unknown, type: ScalarType): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case 'integer':
    case 'number': {
      if (typeof value === 'number') return value;
      const trimmed = String(value).trim();
      if (trimmed === '') return undefined;
      const n = Number(trimmed);
      return Number.isFinite(n) && (type === 'number' || Number.isInteger(n)) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (String(value).trim().toLowerCase() === 'true') return true;
      if (String(value).trim().toLowerCase() === 'false') return false;
      return undefined;
    case 'string':
      return String(value) === '' ? undefined : String(value);
  }
}

function checkPathParameters(path: string, parameters: Parameter[], where: Where): void {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const name of inPath) {
    if (!parameters.some((p) => p.in === 'path' && p.wireName === name)) {
      throw new GeneratorError(
        where.file,
        joinPointer(where.at, 'parameters'),
        `path template {${name}} has no path parameter`,
        `declare a parameter { name: "${name}", in: "path", required: true }`,
      );
    }
  }
  for (const p of parameters.filter((x) => x.in === 'path')) {
    if (!inPath.includes(p.wireName)) {
      throw new GeneratorError(
        where.file,
        joinPointer(where.at, 'parameters'),
        `path parameter "${p.wireName}" does not appear in the path ${path}`,
        'remove the parameter or correct its name',
      );
    }
  }
}

function checkParameterNames(parameters: Parameter[], where: Where): void {
  const seen = new Map<string, Parameter>();
  for (const p of parameters) {
    const other = seen.get(p.name);
    if (other) {
      throw new GeneratorError(
        where.file,
        joinPointer(where.at, 'parameters'),
        `parameters "${other.wireName}" (${other.in}) and "${p.wireName}" (${p.in}) both map to "${p.name}" in params`,
        'rename one of them in the spec',
      );
    }
    seen.set(p.name, p);
  }
}

function readBody(body: SpecNode, where: Where, registry: SchemaRegistry, entity: string): Body {
  const content = (body.content ?? {}) as Record<string, SpecNode>;
  const mediaTypes = Object.keys(content).sort();
  return {
    required: body.required === true,
    mediaTypes,
    type: contentType(content, where, registry, entity) ?? { kind: 'document' },
    description: text(body.description),
  };
}

function readSuccess(
  responses: Record<string, SpecNode>,
  spec: SpecNode,
  where: Where,
  registry: SchemaRegistry,
  entity: string,
): Response {
  const status = Object.keys(responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];
  if (!status)
    throw new GeneratorError(
      where.file,
      joinPointer(where.at, 'responses'),
      'the operation declares no 2xx response',
      'declare its success response (200 or 204)',
    );
  const at = joinPointer(where.at, 'responses', status);
  const response = resolveLocal(spec, responses[status], { file: where.file, at });
  const content = (response.content ?? {}) as Record<string, SpecNode>;
  const type = status === '204' ? undefined : contentType(content, { file: where.file, at }, registry, entity);
  const headers = Object.entries((response.headers ?? {}) as Record<string, SpecNode>).map(([name, h]) => {
    const header = resolveLocal(spec, h, { file: where.file, at: joinPointer(at, 'headers', name) });
    const schema = (header.schema ?? {}) as SpecNode;
    return {
      name,
      type: scalarType(schema.type, { file: where.file, at: joinPointer(at, 'headers', name) }),
      description: text(header.description),
    };
  });
  return {
    status: Number(status),
    mediaTypes: Object.keys(content).sort(),
    ...(type ? { type } : {}),
    description: text(response.description),
    headers,
  };
}

/** The body type: from the JSON media type if present, else XML (they name the same schema in Alma's specs). */
function contentType(
  content: Record<string, SpecNode>,
  where: Where,
  registry: SchemaRegistry,
  entity: string,
): IrType | undefined {
  const mediaType = content['application/json'] ? 'application/json' : Object.keys(content).sort()[0];
  if (!mediaType) return undefined;
  const schema = content[mediaType]?.schema;
  if (schema === undefined) return { kind: 'document' };
  return registry.json.inline(
    schema,
    { file: where.file, at: joinPointer(where.at, 'content', mediaType, 'schema') },
    entity,
  );
}

/** Follows an internal `$ref` (`#/components/...`) in the area spec. */
function resolveLocal(spec: SpecNode, node: unknown, where: Where): SpecNode {
  let current = node as SpecNode;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || hops > 16) {
      throw new GeneratorError(
        where.file,
        joinPointer(where.at, '$ref'),
        `unsupported $ref "${ref}" here: parameters, bodies, responses and headers must be inline or internal`,
        'inline the object or point the $ref into #/components',
      );
    }
    let target: unknown = spec;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = target && typeof target === 'object' ? (target as SpecNode)[key] : undefined;
    }
    if (target === undefined) {
      throw new GeneratorError(
        where.file,
        joinPointer(where.at, '$ref'),
        `dangling $ref: nothing at ${ref}`,
        `define ${ref} or correct the $ref`,
      );
    }
    current = target as SpecNode;
  }
  return current ?? {};
}

/**
 * Codes listed in a 400 description, one per line: `401861 - 'User with identifier X was not found.'`.
 * A line may list several codes (`402222/402223 - ...`).
 */
export function harvestErrorCodes(description: string): ErrorCode[] {
  const codes: ErrorCode[] = [];
  for (const line of description.split(/\r?\n/)) {
    const match = /^\s*([0-9A-Z_]+(?:\s*\/\s*[0-9A-Z_]+)*)\s+-\s+(.*)$/.exec(line);
    if (!match) continue;
    const message = match[2]!
      .trim()
      .replace(/^'(.*)'$/s, '$1')
      .trim();
    for (const code of match[1]!.split('/').map((c) => c.trim())) {
      if (!codes.some((c) => c.code === code)) codes.push({ code, message, kind: errorKindOf(message) });
    }
  }
  return codes;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Spec prose, trimmed, with site-relative links (`](/alma/apis/...)`) made absolute. */
function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().replace(/\]\(\//g, '](https://developers.exlibrisgroup.com/') : '';
}
