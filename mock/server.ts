import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, type FaultRule, loadConfig, type MockSettings } from '../generator/config.js';
import { buildModel } from '../generator/ir/build.js';
import type { ApiModel, IrType, Parameter } from '../generator/ir/model.js';
import { DocumentStore } from '../generator/specs/documents.js';
import { buildXmlTypes } from '../generator/ir/xml.js';
import { jsonToXml, xmlToJson, type JsonObject } from '../runtime/codec.js';
import { behaviours } from './behaviours.js';
import { RequestLog, type LogEntry } from './log.js';
import { compileRoutes, matchRoute, segmentsOf, type Route } from './routes.js';
import { random, seedStore } from './seed.js';
import { answerOf, deriveBib } from './answers.js';
import { downloadFile } from './files.js';
import { filterRecords, sortRecords } from './search.js';
import { getPath, idFieldOf, MockStore } from './store.js';
import { fillMessage, notFoundOutcome, type Call, type Outcome } from './outcomes.js';

export type { FaultKind, FaultRule, Plan } from '../generator/config.js';

/** The mock's options: the settings of the configuration's `mock:` section, and where to listen. */
export interface MockOptions extends MockSettings {
  /**
   * The alma-codegen configuration whose specs define the API, or the path of its file (default: the nearest
   * alma-codegen.yaml). Its `mock:` section gives the defaults of every option; options passed here win.
   */
  config?: Config | string;
  /** Loopback by default. */
  host?: string;
}

export interface MockServer {
  url: string;
  /** One line for a console: where it listens, and its keys with their plans. */
  banner: string;
  log: RequestLog;
  store: MockStore;
  close(): Promise<void>;
}

const WSR_NS = 'http://com/exlibris/urm/general/xmlbeans';

/** Starts an Alma-like server over the configured specs: every operation routed, state in memory. */
export async function startMockServer(given: MockOptions = {}): Promise<MockServer> {
  const config = typeof given.config === 'object' ? given.config : loadConfig(given.config);
  const options: MockOptions = {
    ...config.mock,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
  const model = buildModel(config, new DocumentStore(config.specDir));
  const routes = compileRoutes(model, buildXmlTypes(model));
  const store = new MockStore();
  seedStore(store, options.seed ?? 1, options.size ?? 20);
  const log = new RequestLog();
  const keys = new Map(
    (options.keys ?? [{ key: 'mock-key' }]).map((k) => [
      k.key,
      { plan: k.plan ?? 'read-write', institution: k.institution ?? 'default' },
    ]),
  );
  const limits = { perSecond: options.perSecondLimit ?? 25, daily: options.dailyBudget ?? 100_000 };
  const used = new Map<string, { day: string; count: number; window: number[] }>();
  const chance = random((options.seed ?? 1) ^ 0x5eed);
  const faults = options.faults ?? [];
  const special = behaviours(
    store,
    {
      jobPolls: options.jobs?.polls ?? 3,
      jobOutcomes: options.jobs?.outcomes ?? {},
      analyticsRows: options.analytics?.rows ?? 60,
      analyticsLoadingPolls: options.analytics?.loadingPolls ?? 1,
    },
    model.areas.flatMap((a) => a.operations),
  );

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent)
          sendError(res, 500, 'xml', 'INTERNAL_SERVER_ERROR', `Mock failure: ${(error as Error).message}`, undefined);
      });
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const entry: LogEntry = {
      time: Date.now(),
      method: req.method ?? '',
      path: url.pathname,
      keyMode: 'none',
      status: 0,
      institution: '',
    };
    const finish = (status: number) => {
      entry.status = status;
      log.add(entry);
    };
    const format: 'json' | 'xml' =
      url.searchParams.get('format') === 'json' || /application\/json/.test(req.headers.accept ?? '') ? 'json' : 'xml';

    const headerKey = /^apikey\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const queryKey = url.searchParams.get('apikey') ?? undefined;
    entry.keyMode = headerKey ? 'header' : queryKey ? 'query' : 'none';
    const account = keys.get(headerKey ?? queryKey ?? '');
    if (!account) {
      // Alma answers an unknown key in XML whatever Accept says.
      return finish(
        sendError(
          res,
          401,
          'xml',
          'UNAUTHORIZED',
          'API-key not defined or not configured to allow this API.',
          undefined,
        ),
      );
    }
    entry.institution = account.institution;

    const usage = usageOf(account.institution);
    if (usage.count >= limits.daily) {
      return finish(
        sendError(
          res,
          429,
          format,
          'DAILY_THRESHOLD',
          'Daily API Request Threshold has been reached. For details see: https://developers.exlibrisgroup.com/alma/apis/#threshold',
          0,
        ),
      );
    }
    const now = Date.now();
    while (usage.window.length > 0 && now - usage.window[0]! >= 1000) usage.window.shift();
    if (usage.window.length >= limits.perSecond) {
      return finish(
        sendError(
          res,
          429,
          format,
          'PER_SECOND_THRESHOLD',
          'HTTP requests are more than allowed per second',
          limits.daily - usage.count,
        ),
      );
    }
    usage.window.push(now);
    usage.count++;
    const remaining = limits.daily - usage.count;

    const matched = matchRoute(routes, req.method ?? '', url.pathname);
    if (!matched)
      return finish(
        sendError(res, 404, format, 'ROUTING_ERROR', `No such API: ${req.method} ${url.pathname}`, remaining),
      );
    const { route, params } = matched;
    const fault = pickFault(route);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset-before') {
      req.socket.destroy();
      return finish(0);
    }
    if (fault?.kind === 'error-500')
      return finish(
        sendError(
          res,
          500,
          format,
          'INTERNAL_SERVER_ERROR',
          'The web server encountered an unexpected condition that prevented it from fulfilling the request.',
          remaining,
        ),
      );
    if (fault?.kind === 'gateway-503') {
      res.writeHead(503, { 'Content-Type': 'text/html' });
      res.end(
        '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>',
      );
      return finish(503);
    }

    if (route.method !== 'GET' && account.plan !== 'read-write') {
      return finish(
        sendError(
          res,
          403,
          format,
          'FORBIDDEN',
          `API-key is ${account.plan === 'guest' ? 'a guest sandbox key' : 'read-only'}: ${route.method} is not allowed.`,
          remaining,
        ),
      );
    }
    if ((route.method === 'POST' || route.method === 'PUT') && !req.headers['content-type']) {
      return finish(
        sendError(
          res,
          400,
          format,
          'INVALID_REQUEST',
          'Content-Type header is missing: POST and PUT need one, even without a body.',
          remaining,
        ),
      );
    }
    if (route.operation.wireFormat === 'xml' && /json/i.test(req.headers['content-type'] ?? '')) {
      return finish(
        sendError(
          res,
          415,
          format,
          'INVALID_REQUEST',
          'This API accepts XML only: send the body with Content-Type: application/xml.',
          remaining,
        ),
      );
    }
    const invalid = checkParameters(route, url.searchParams, params);
    if (invalid) return finish(sendError(res, 400, format, route.invalidCode, invalid, remaining));
    let body: JsonObject | undefined;
    try {
      body = parseBody(route, rawBody, req.headers['content-type'] ?? '', model);
    } catch (error) {
      return finish(
        sendError(res, 400, format, route.invalidCode, `Invalid request body: ${(error as Error).message}`, remaining),
      );
    }

    const call = { route, params, query: url.searchParams, path: url.pathname, format, body };
    const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
    const isList = (path: string) => matchRoute(routes, 'GET', path)?.route.kind === 'list';
    const outcome = special(call, baseUrl) ?? serve(store, call, baseUrl, isList);
    if (fault?.kind === 'reset-after') {
      req.socket.destroy();
      return finish(0);
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    if ('error' in outcome)
      return finish(sendError(res, outcome.status, format, outcome.error.code, outcome.error.message, remaining));
    if ('file' in outcome) {
      res.writeHead(outcome.status, {
        'Content-Type': outcome.file.contentType,
        'Content-Length': outcome.file.bytes.length,
        'X-Exl-Api-Remaining': String(remaining),
      });
      res.end(outcome.file.bytes);
      return finish(outcome.status);
    }
    if (outcome.status === 204 || !outcome.body) {
      res.writeHead(outcome.status === 204 ? 204 : 200, { 'X-Exl-Api-Remaining': String(remaining) });
      res.end();
      return finish(outcome.status === 204 ? 204 : 200);
    }
    const xmlBody = format === 'xml' || fault?.kind === 'xml-as-json';
    const text = xmlBody
      ? jsonToXml(outcome.body, route.responseXml, { rootName: route.responseRoot })
      : JSON.stringify(outcome.body);
    const contentType = format === 'json' ? 'application/json' : 'application/xml';
    if (fault?.kind === 'truncated') {
      res.writeHead(outcome.status, {
        'Content-Type': contentType,
        'Content-Length': Buffer.byteLength(text),
        'X-Exl-Api-Remaining': String(remaining),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
      return finish(outcome.status);
    }
    res.writeHead(outcome.status, {
      'Content-Type': `${contentType};charset=UTF-8`,
      'X-Exl-Api-Remaining': String(remaining),
    });
    res.end(text);
    return finish(outcome.status);
  }

  function usageOf(institution: string) {
    const day = new Date().toISOString().slice(0, 10);
    let usage = used.get(institution);
    if (!usage || usage.day !== day) {
      usage = { day, count: 0, window: [] };
      used.set(institution, usage);
    }
    return usage;
  }

  function pickFault(route: Route): FaultRule | undefined {
    for (const fault of faults) {
      if (
        fault.route &&
        fault.route !== route.operation.exportName &&
        fault.route !== `${route.method} ${route.operation.path}`
      )
        continue;
      if (chance() < fault.probability) return fault;
    }
    return undefined;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(given.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  const keyList = [...keys]
    .map(([key, k]) => `${key} (${k.plan}${k.institution !== 'default' ? `, ${k.institution}` : ''})`)
    .join(', ');
  return {
    url,
    banner: `Alma mock on ${url}; keys: ${keyList}; ${limits.perSecond} calls/s, ${limits.daily} a day per institution; Ctrl-C stops it`,
    log,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `web_service_result` in the requested format; returns the status for the log. */
function sendError(
  res: ServerResponse,
  status: number,
  format: 'json' | 'xml',
  code: string,
  message: string,
  remaining: number | undefined,
): number {
  const trackingId = `E01-MOCK-${Date.now().toString(36).toUpperCase()}`;
  const headers: Record<string, string> = {};
  if (remaining !== undefined) headers['X-Exl-Api-Remaining'] = String(remaining);
  if (format === 'json') {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8' });
    res.end(
      JSON.stringify({
        errorsExist: true,
        errorList: { error: [{ errorCode: code, errorMessage: message, trackingId }] },
        result: null,
      }),
    );
  } else {
    res.writeHead(status, { ...headers, 'Content-Type': 'application/xml;charset=UTF-8' });
    res.end(
      jsonToXml(
        { errorsExist: true, errorList: { error: [{ errorCode: code, errorMessage: message, trackingId }] } },
        { root: 'web_service_result', namespace: WSR_NS, props: [] },
      ),
    );
  }
  return status;
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
function parseBody(route: Route, text: string, contentType: string, model: ApiModel): JsonObject | undefined {
  if (text.trim() === '') {
    if (route.operation.requestBody?.required) throw new Error('a body is required');
    return undefined;
  }
  const body = /json/.test(contentType) ? (JSON.parse(text) as JsonObject) : xmlToJson(text, route.requestXml);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('expected an object');
  const schema = route.requestSchema;
  if (schema?.type.kind === 'object') {
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

/** What the store does for a call. */
function serve(store: MockStore, call: Call, baseUrl: string, isList: (path: string) => boolean): Outcome {
  const { route } = call;
  const path = `/${segmentsOf(call.path).map(decodeURIComponent).join('/')}`;
  const collectionPath = route.segments.at(-1) === null ? path.slice(0, path.lastIndexOf('/')) : path;
  const id = call.params.at(-1) ?? '';
  const status = route.operation.response.status;
  const notFound = () => notFoundOutcome(route, id, call.query);
  const answer = (record: JsonObject, recordPath: string, entry: boolean) =>
    answerOf(record, { store, url: `${baseUrl}${recordPath}`, path: recordPath, query: call.query, entry, isList });
  switch (route.kind) {
    case 'list': {
      const limit = Number(
        call.query.get('limit') ?? route.operation.queryParams.find((p) => p.wireName === 'limit')?.default ?? 10,
      );
      const offset = Number(call.query.get('offset') ?? 0);
      const recordOf = (entry: { record: JsonObject }) => entry.record;
      const kept = filterRecords(
        store.entries(collectionPath),
        recordOf,
        call.query,
        route.operation.queryParams.map((p) => p.wireName),
      );
      const orderBy = route.operation.queryParams.find((p) => p.wireName === 'order_by');
      const sorted = sortRecords(
        kept,
        recordOf,
        call.query.get('order_by') ?? (orderBy?.default !== undefined ? String(orderBy.default) : null),
        call.query.get('direction'),
      );
      const items = sorted
        .slice(offset, offset + limit)
        .map((e) => answer(e.record, `${e.path}/${String(getPath(e.record, idFieldOf(e.path)))}`, true));
      // Alma leaves an empty list's key out; the count only where the list's schema has one.
      const count =
        !route.responseXml || route.responseXml.props.some((p) => p.key === 'total_record_count')
          ? { total_record_count: kept.length }
          : {};
      return {
        status,
        body: {
          ...(items.length ? { [route.itemKey]: items } : {}),
          ...count,
          ...listExtras(store, route, collectionPath, baseUrl),
        },
      };
    }
    case 'get': {
      const record = store.get(collectionPath, id);
      return record ? { status, body: answer(record, path, false) } : notFound();
    }
    case 'singleton':
      return { status, body: store.document(path) ?? {} };
    case 'file':
      return { status, file: downloadFile(call.query.get('download_format')) };
    case 'create': {
      if (!call.body) return { status: 400, error: { code: route.invalidCode, message: 'A body is required.' } };
      const field = idFieldOf(collectionPath);
      const given = getPath(call.body, field);
      if (
        route.duplicate &&
        given !== undefined &&
        given !== null &&
        given !== '' &&
        store.get(collectionPath, String(given))
      ) {
        return {
          status: 400,
          error: {
            code: route.duplicate.code,
            message: fillMessage(route.duplicate.message, route, String(given), call.query, field),
          },
        };
      }
      const created = store.insert(collectionPath, structuredClone(call.body));
      const newId = String(getPath(created, field));
      if (field === 'mms_id') deriveBib(created, newId);
      return status === 204 ? { status } : { status, body: answer(created, `${collectionPath}/${newId}`, false) };
    }
    case 'action': {
      const record = route.segments.at(-1) === null ? store.get(collectionPath, id) : call.body;
      if (route.segments.at(-1) === null && !record) return notFound();
      return status === 204 ? { status } : { status, body: record ? answer(record, path, false) : {} };
    }
    case 'replace': {
      if (!call.body) return { status: 400, error: { code: route.invalidCode, message: 'A body is required.' } };
      const replaced = store.replace(collectionPath, id, structuredClone(call.body));
      return replaced ? { status, body: answer(replaced, path, false) } : notFound();
    }
    case 'replaceAll':
      store.setDocument(path, call.body ?? {});
      return { status, body: call.body ?? {} };
    case 'delete':
      return store.delete(collectionPath, id) ? { status: status === 200 ? 204 : status } : notFound();
    case 'deleteAll':
      store.clear(path);
      return { status: 204 };
  }
}

/**
 * Fields of a list document beside its entries (`bib_data` of a bib's holdings): the record the list belongs to, as
 * a reference with its link.
 */
function listExtras(store: MockStore, route: Route, collectionPath: string, baseUrl: string): JsonObject {
  if (route.listExtras.length === 0) return {};
  const ownerPath = collectionPath.slice(0, collectionPath.lastIndexOf('/'));
  const owner = store.get(
    ownerPath.slice(0, ownerPath.lastIndexOf('/')),
    ownerPath.slice(ownerPath.lastIndexOf('/') + 1),
  );
  if (!owner) return {};
  const scalars = Object.fromEntries(Object.entries(owner).filter(([, v]) => typeof v !== 'object' || v === null));
  return Object.fromEntries(route.listExtras.map((name) => [name, { ...scalars, link: `${baseUrl}${ownerPath}` }]));
}
