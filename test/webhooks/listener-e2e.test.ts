import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { jsonToXml } from '../../runtime/xml/codec.js';
import { loadGenerated } from '../helpers/generated.js';
import { redisTestsRun, reportSkippedRedisTests, startRedis } from '../helpers/redis.js';
import { REPO } from '../helpers/specs.js';

/** The webhook listener over real HTTP: what Alma sends, signed, as JSON and XML, and what must be refused. */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  webhooks: typeof import('../../output/alma-client/src/webhooks.js');
};
type WebhookEvent = import('../../output/alma-client/src/webhooks.js').WebhookEvent;

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
if (!redisTestsRun()) reportSkippedRedisTests(2);
const SECRET = 'integration-profile-secret';
let pkg: Package;
beforeAll(async () => {
  pkg = await loadGenerated<Package>(config, ['runtime/index', 'webhooks']);
});

/** A listener on a free port, its events, and a close. */
async function listen(options: Partial<Parameters<Package['webhooks']['createWebhookHandler']>[0]> = {}) {
  const events: WebhookEvent[] = [];
  const errors: string[] = [];
  const handler = pkg.webhooks.createWebhookHandler({
    secret: SECRET,
    institution: '01TEST_INST',
    onEvent: (event) => {
      events.push(event);
    },
    onError: (error) => errors.push((error as Error).message),
    ...options,
  });
  const server: Server = createServer(handler.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alma`;
  return { handler, url, events, errors, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const envelope = (action: string, payload: Record<string, unknown>, id = String(Math.random()).slice(2)) => ({
  id,
  action,
  institution: { value: '01TEST_INST', desc: 'Test' },
  time: '2026-12-07T10:00:00Z',
  ...payload,
});

async function post(url: string, body: string, signature: string | undefined, contentType = 'application/json') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(signature ? { 'X-Exl-Signature': signature } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}
const signed = async (url: string, body: string, contentType?: string) =>
  post(url, body, await pkg.webhooks.signWebhook(SECRET, body), contentType);

describe('the webhook listener (node:http)', () => {
  test('answers the challenge, unsigned', async () => {
    const l = await listen();
    const response = await fetch(`${l.url}?challenge=abc123`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'abc123' });
    await l.close();
  });

  test('a good signature: 200, and the event typed by its action (JSON)', async () => {
    const l = await listen();
    const body = JSON.stringify(
      envelope('JOB_END', { job_instance: { id: '5551', status: { value: 'COMPLETED_SUCCESS' } } }),
    );
    expect(await signed(l.url, body)).toEqual({ status: 200, text: 'received' });
    await l.handler.drain();
    const [event] = l.events;
    expect(event?.type).toBe('JOB_END');
    if (event?.type === 'JOB_END') expect(event.job_instance.status?.value).toBe('COMPLETED_SUCCESS');
    await l.close();
  });

  test('a tampered body, a missing or malformed signature: 401 and nothing else; no event', async () => {
    const l = await listen();
    const body = JSON.stringify(envelope('ITEM', { item: {} }));
    const signature = await pkg.webhooks.signWebhook(SECRET, body);
    expect(await post(l.url, body.replace('ITEM', 'LOAN'), signature)).toEqual({ status: 401, text: '' });
    expect(await post(l.url, body, undefined)).toEqual({ status: 401, text: '' });
    expect(await post(l.url, body, 'not base64 at all!')).toEqual({ status: 401, text: '' });
    expect(await post(l.url, body, await pkg.webhooks.signWebhook('another secret', body))).toEqual({
      status: 401,
      text: '',
    });
    await l.handler.drain();
    expect(l.events).toEqual([]);
    await l.close();
  });

  test("Ex Libris' sample signs JSON.stringify(parsed): refused by default, taken with acceptStringifiedSignature", async () => {
    const raw = `{ "id": "77", "action": "ITEM", "institution": { "value": "01TEST_INST" }, "time": "2026-12-07T10:00:00Z", "item": {} }`;
    const stringified = await pkg.webhooks.signWebhook(SECRET, JSON.stringify(JSON.parse(raw)));
    const strict = await listen();
    expect((await post(strict.url, raw, stringified)).status).toBe(401);
    await strict.close();
    const compatible = await listen({ acceptStringifiedSignature: true });
    expect((await post(compatible.url, raw, stringified)).status).toBe(200);
    await compatible.close();
  });

  test('XML bodies are typed per action, as JSON ones are', async () => {
    const l = await listen();
    const item = envelope('ITEM', {
      event: { value: 'ITEM_UPDATED', desc: 'Item updated' },
      item: { item_data: { barcode: '3907401', pid: '23123', base_status: { value: '1', desc: 'Item in place' } } },
    });
    const loan = envelope('LOAN', {
      event: { value: 'LOAN_CREATED' },
      item_loan: { loan_id: '88', item_barcode: '3907401' },
    });
    for (const event of [item, loan]) {
      const xml = jsonToXml(event, pkg.webhooks.WebhookXml, { declaration: true });
      expect((await signed(l.url, xml, 'application/xml')).status).toBe(200);
    }
    await l.handler.drain();
    const [itemEvent, loanEvent] = l.events;
    expect(itemEvent?.type).toBe('ITEM');
    if (itemEvent?.type === 'ITEM') {
      expect(itemEvent.item.item_data.barcode).toBe('3907401');
      expect(itemEvent.item.item_data.base_status).toEqual({ value: '1', desc: 'Item in place' });
      expect(itemEvent.event).toEqual({ value: 'ITEM_UPDATED', desc: 'Item updated' });
    }
    expect(loanEvent).toMatchObject({ type: 'LOAN', item_loan: { loan_id: '88' } });
    await l.close();
  });

  test('an action the package does not know arrives typed as unknown, with its body', async () => {
    const l = await listen();
    const body = JSON.stringify(envelope('PORTFOLIO', { portfolio: { id: 'P1' } }));
    expect((await signed(l.url, body)).status).toBe(200);
    await l.handler.drain();
    expect(l.events[0]).toMatchObject({ type: 'unknown', action: 'PORTFOLIO', body: { portfolio: { id: 'P1' } } });
    await l.close();
  });

  test('the same webhook id twice: acknowledged twice, handled once', async () => {
    const l = await listen();
    const body = JSON.stringify(envelope('BIB', { bib: { mms_id: '99' } }, 'same-id'));
    expect(await signed(l.url, body)).toEqual({ status: 200, text: 'received' });
    expect(await signed(l.url, body)).toEqual({ status: 200, text: 'already received' });
    await l.handler.drain();
    expect(l.events).toHaveLength(1);
    await l.close();
  });

  test('another institution (a sandbox pointed at the production listener): 403, no event, and said', async () => {
    const l = await listen();
    const body = JSON.stringify({
      ...envelope('JOB_END', { job_instance: {} }),
      institution: { value: '01TEST_INST_SANDBOX' },
    });
    const answer = await signed(l.url, body);
    expect(answer.status).toBe(403);
    expect(answer.text).toBe("institution 01TEST_INST_SANDBOX is not this listener's");
    await l.handler.drain();
    expect(l.events).toEqual([]);
    expect(l.errors[0]).toMatch(/institution 01TEST_INST_SANDBOX was refused: this listener takes 01TEST_INST/);
    await l.close();
  });

  test('a body over the limit: 413, before it is read whole', async () => {
    const l = await listen({ maxBodyBytes: 1024 });
    const body = JSON.stringify(envelope('BIB', { bib: { anies: ['x'.repeat(5000)] } }));
    expect((await signed(l.url, body)).status).toBe(413);
    await l.close();
  });

  test('a failing handler is tried again (not Alma: the event was acknowledged), then reported', async () => {
    let calls = 0;
    const l = await listen({
      attempts: 3,
      retryDelayMs: 10,
      onEvent: () => {
        calls++;
        if (calls < 3) throw new Error('database down');
      },
    });
    expect((await signed(l.url, JSON.stringify(envelope('BIB', { bib: {} })))).status).toBe(200);
    await l.handler.drain();
    expect(calls).toBe(3);
    expect(l.errors).toEqual([]);
    await l.close();
  });
});

describe('the same listener as a fetch handler', () => {
  test('challenge, a signed event, a bad signature', async () => {
    const events: WebhookEvent[] = [];
    const handler = pkg.webhooks.createWebhookHandler({ secret: SECRET, onEvent: (e) => void events.push(e) });
    const challenge = await handler.fetch(new Request('https://listener.example/alma?challenge=xyz'));
    expect(await challenge.json()).toEqual({ challenge: 'xyz' });
    const body = JSON.stringify(envelope('USER', { webhook_user: { user: { primary_id: 'jdoe' }, method: 'UPDATE' } }));
    const request = (signature: string) =>
      new Request('https://listener.example/alma', { method: 'POST', body, headers: { 'X-Exl-Signature': signature } });
    expect((await handler.fetch(request(await pkg.webhooks.signWebhook(SECRET, body)))).status).toBe(200);
    expect((await handler.fetch(request('AAAA'))).status).toBe(401);
    await handler.drain();
    expect(events).toHaveLength(1);
    if (events[0]?.type === 'USER') expect(events[0].webhook_user.user.primary_id).toBe('jdoe');
  });
});

describe.runIf(redisTestsRun())('with Redis: duplicates across listener instances, and a queue', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis({ host: '127.0.0.1', port: redis.port });
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  test('with a queue (BullMQ): the listener answers once queued, a worker runs the handler, retried on a throw', async () => {
    const queue = { redis: { host: '127.0.0.1', port: redis.port }, name: `hooks-${Date.now()}` };
    const l = await listen({ queue, retryDelayMs: 50 });
    const ran: string[] = [];
    let failures = 1;
    const worker = await pkg.webhooks.runWebhookWorker<WebhookEvent>({
      ...queue,
      onEvent: (event) => {
        if (failures-- > 0) throw new Error('database down');
        ran.push(`${event.type} ${event.id}`);
      },
    });
    const body = JSON.stringify(envelope('BIB', { bib: { mms_id: '99' } }, 'queued-1'));
    expect(await signed(l.url, body)).toEqual({ status: 200, text: 'queued' });
    expect(await signed(l.url, body)).toEqual({ status: 200, text: 'already received' });
    const until = Date.now() + 10_000;
    while (ran.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(ran).toEqual(['BIB queued-1']);
    // Nothing ran in the listener's own process.
    expect(l.events).toEqual([]);
    await worker.close();
    await l.handler.close();
    await l.close();
  });

  test('two listeners behind one URL are given the same event: one of them handles it', async () => {
    const ids = pkg.webhooks.redisWebhookIds(client);
    const [a, b] = [await listen({ ids }), await listen({ ids })];
    const body = JSON.stringify(envelope('ITEM', { item: {} }, 'shared-id'));
    const answers = await Promise.all([signed(a.url, body), signed(b.url, body)]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    await Promise.all([a.handler.drain(), b.handler.drain()]);
    expect(a.events.length + b.events.length).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });
});
