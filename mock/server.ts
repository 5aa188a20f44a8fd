import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../generator/config.js';
import type { MockSettings } from './settings.js';
import { buildModel } from '../generator/ir/build.js';
import { buildXmlTypes } from '../generator/ir/xml.js';
import { DocumentStore } from '../generator/load/documents.js';
import { Faults } from './faults.js';
import { accountsOf, describeAccount, Gateway } from './gateway.js';
import { seedNetworkZone } from './network-zone.js';
import { GENERAL_CONFIGURATION } from '../runtime/client.js';
import { behaviours } from './behaviours/index.js';
import { serve } from './crud.js';
import { RequestLog, type LogEntry } from './log.js';
import { type Format, replyError, replyFaultBefore, replyOutcome, replyRefusal } from './reply.js';
import { compileRoutes, matchRoute } from './routes.js';
import { seedStore } from './seed.js';
import { MockStore } from './store.js';
import { checkRequest } from './validation.js';
import { seededInstitution, writeEvents } from './webhook-events.js';
import { WebhookSender } from './webhooks.js';

export type { FaultKind, FaultRule, Plan } from './settings.js';

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
  /**
   * The writes (POST, PUT, DELETE) each path received and applied, answered or not (an answer lost by a
   * `reset-after` fault counts): a bulk test proves "nothing doubled" with it.
   */
  writes: Map<string, number>;
  /** Midnight UTC at Alma: every institution's daily budget is whole again. */
  newDay(): void;
  /** The webhooks sent (with `webhooks` set): each delivery try, and `settle()` to wait for those under way. */
  webhooks?: WebhookSender;
  close(): Promise<void>;
}

/** The largest request body the mock reads (the gateway refuses bigger ones): 10 MiB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Starts an Alma-like server over the configured specs: every operation routed, state in memory. */
export async function startMockServer(given: MockOptions = {}): Promise<MockServer> {
  const config = typeof given.config === 'object' ? given.config : loadConfig(given.config);
  const options: MockOptions = {
    ...config.mock,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
  const model = buildModel(config, new DocumentStore(config.specDir));
  const xmlTypes = buildXmlTypes(model);
  const routes = compileRoutes(model, xmlTypes);
  const store = new MockStore();
  seedStore(store, options.seed ?? 1, options.size ?? 20);
  const log = new RequestLog();
  const keys = accountsOf(options.keys ?? [{ key: 'mock-key' }]);
  // A member institution's data, and its Network Zone's beside it (keys with `zone: network` see that one).
  const networkStore = new MockStore();
  seedNetworkZone(networkStore, store, options.seed ?? 1);
  const limits = { perSecond: options.perSecondLimit ?? 25, daily: options.dailyBudget ?? 100_000 };
  const gateway = new Gateway(keys, limits);
  const writes = new Map<string, number>();
  const faults = new Faults(options.faults ?? [], options.seed ?? 1);
  const webhooks = options.webhooks
    ? new WebhookSender(options.webhooks, model, xmlTypes, seededInstitution(store))
    : undefined;
  const special = behaviours(
    store,
    {
      jobPolls: options.jobs?.polls ?? 3,
      jobOutcomes: options.jobs?.outcomes ?? {},
      analyticsRows: options.analytics?.rows ?? 60,
      analyticsLoadingPolls: options.analytics?.loadingPolls ?? 1,
      jobDurationMs: options.jobs?.durationMs,
      jobLimits: options.jobs?.limits,
    },
    model.areas.flatMap((a) => a.operations),
    webhooks,
  );
  const announce = webhooks ? writeEvents(model, webhooks) : undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Over the gateway's limit: refused as Alma's gateway refuses it, and nothing more is read.
      if (size > MAX_BODY_BYTES) {
        if (!res.headersSent) {
          const refusal = { code: 'REQUEST_TOO_LARGE', message: `The request body is over ${MAX_BODY_BYTES} bytes.` };
          replyError(res, 413, 'xml', refusal, undefined);
        }
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) {
          const failure = { code: 'INTERNAL_SERVER_ERROR', message: `Mock failure: ${(error as Error).message}` };
          replyError(res, 500, 'xml', failure, undefined);
        }
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
    const format: Format =
      url.searchParams.get('format') === 'json' || /application\/json/.test(req.headers.accept ?? '') ? 'json' : 'xml';

    const { account, keyMode } = gateway.account(req, url.searchParams);
    entry.keyMode = keyMode;
    if (!('plan' in account)) return finish(replyRefusal(res, account, format));
    entry.institution = account.institution;
    const admitted = gateway.admit(account.institution);
    if ('code' in admitted) return finish(replyRefusal(res, admitted, format));
    const { remaining } = admitted;

    // A client that has gone (its connection closed while the call waited) gets no work done for it.
    if (req.socket.destroyed) return finish(0);
    let matched: ReturnType<typeof matchRoute>;
    try {
      matched = matchRoute(routes, req.method ?? '', url.pathname);
    } catch {
      const message = `Malformed URL: ${url.pathname} has an invalid percent-escape.`;
      return finish(replyError(res, 400, format, { code: 'INVALID_REQUEST', message }, remaining));
    }
    if (!matched) {
      const message = `No such API: ${req.method} ${url.pathname}`;
      return finish(replyError(res, 404, format, { code: 'ROUTING_ERROR', message }, remaining));
    }
    const { route, params } = matched;
    const denied = gateway.allows(account, route.operation.area, route.method);
    if (denied) return finish(replyRefusal(res, { ...denied, remaining }, format));
    const fault = faults.pick(route);
    if (fault) entry.fault = fault.kind;
    const reply = { req, res, format, remaining, fault };
    const faulted = replyFaultBefore(reply);
    if (faulted !== undefined) return finish(faulted);

    const checked = checkRequest(
      { route, params, query: url.searchParams, contentType: req.headers['content-type'], rawBody },
      model,
    );
    if ('code' in checked) return finish(replyRefusal(res, { ...checked, remaining }, format));

    const call = { route, params, query: url.searchParams, path: url.pathname, format, body: checked.body, fault };
    const baseUrl = `http://${req.headers.host ?? 'localhost'}`;
    const isList = (path: string) => matchRoute(routes, 'GET', path)?.route.kind === 'list';
    const zoneStore = account.zone === 'network' ? networkStore : store;
    const outcome = special(call, baseUrl) ?? serve(zoneStore, call, baseUrl, isList, { network: networkStore });
    if (route.method !== 'GET' && !('error' in outcome)) {
      writes.set(url.pathname, (writes.get(url.pathname) ?? 0) + 1);
      if ('body' in outcome) announce?.(route, outcome.body);
    }
    if (route.method === 'GET' && route.operation.path === GENERAL_CONFIGURATION.path && 'body' in outcome)
      describeAccount(outcome, account);
    return finish(await replyOutcome(reply, outcome, route));
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
    writes,
    ...(webhooks ? { webhooks } : {}),
    newDay: () => gateway.newDay(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
