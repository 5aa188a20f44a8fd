import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig, type MockSettings } from '../generator/config.js';
import { buildModel } from '../generator/ir/build.js';
import { buildXmlTypes } from '../generator/ir/xml.js';
import { DocumentStore } from '../generator/specs/documents.js';
import { Faults } from './faults.js';
import { Gateway, type Refusal } from './gateway.js';
import { jsonToXml } from '../runtime/xml/codec.js';
import { behaviours } from './behaviours.js';
import { serve } from './crud.js';
import { RequestLog, type LogEntry } from './log.js';
import { compileRoutes, matchRoute } from './routes.js';
import { seedStore } from './seed.js';
import { MockStore } from './store.js';
import { checkRequest } from './validation.js';

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
  const gateway = new Gateway(keys, limits);
  const faults = new Faults(options.faults ?? [], options.seed ?? 1);
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

    const { account, keyMode } = gateway.account(req, url.searchParams);
    entry.keyMode = keyMode;
    if (!('plan' in account)) return finish(refuse(res, account, format));
    entry.institution = account.institution;
    const admitted = gateway.admit(account.institution);
    if ('code' in admitted) return finish(refuse(res, admitted, format));
    const { remaining } = admitted;

    const matched = matchRoute(routes, req.method ?? '', url.pathname);
    if (!matched)
      return finish(
        sendError(res, 404, format, 'ROUTING_ERROR', `No such API: ${req.method} ${url.pathname}`, remaining),
      );
    const { route, params } = matched;
    const fault = faults.pick(route);
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

    const checked = checkRequest(
      { route, params, query: url.searchParams, contentType: req.headers['content-type'], rawBody, plan: account.plan },
      model,
    );
    if ('code' in checked) return finish(refuse(res, { ...checked, remaining }, format));
    const { body } = checked;

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

/** A refusal as Alma sends it (see `sendError`). */
function refuse(res: ServerResponse, refusal: Refusal, format: 'json' | 'xml'): number {
  return sendError(res, refusal.status, refusal.format ?? format, refusal.code, refusal.message, refusal.remaining);
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
