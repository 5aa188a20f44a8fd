import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';
import { loadConfig } from '../../generator/config.js';
import type { MockOptions, MockServer } from '../../mock/index.js';
import { withMock as withMockOf } from '../helpers/mock.js';
import { createClient, type ClientOptions } from '../../runtime/client.js';
import {
  AlmaDailyLimitError,
  AlmaNetworkError,
  AlmaOutcomeUnknownError,
  AlmaRateLimitError,
  AlmaServerError,
  AlmaTimeoutError,
} from '../../runtime/errors.js';
import { RETRY_DEFAULTS, retryDecision } from '../../runtime/internal/retry.js';
import type { OperationSpec } from '../../runtime/operation.js';
import { Redis } from 'ioredis';
import { redisSlotStore } from '../../runtime/governance/redis.js';
import { redisTestsRun, reportSkippedRedisTests, startRedis } from '../helpers/redis.js';
import { REPO } from '../helpers/specs.js';

const run = promisify(execFile);
const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
const KEYS: MockOptions['keys'] = [{ key: 'rw-key', institution: 'inst' }];

const listLibraries: OperationSpec = {
  name: 'listLibraries',
  method: 'GET',
  path: '/almaws/v1/conf/libraries',
  status: 200,
};
const getUser: OperationSpec = {
  name: 'getUser',
  method: 'GET',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 200,
};
const createSet: OperationSpec = { name: 'createSet', method: 'POST', path: '/almaws/v1/conf/sets', status: 200 };

const withMock = <T>(options: Partial<MockOptions>, body: (mock: MockServer) => Promise<T>): Promise<T> =>
  withMockOf({ config, keys: KEYS, ...options }, body);

/** A client of a fresh institution (state is per institution and process), JSON on the wire. */
const clientOf = (mock: MockServer, options: Partial<ClientOptions> = {}) =>
  createClient({
    apiKey: 'rw-key',
    baseUrl: mock.url,
    format: 'json',
    institution: randomUUID(),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });

describe('the limiter', () => {
  test('spaces calls: never more than 25 in any sliding second, none refused, FIFO', () =>
    withMock({ perSecondLimit: 25 }, async (mock) => {
      const order: string[] = [];
      const alma = clientOf(mock, {
        dedupe: false,
        retry: false,
        onRequest: (e) => order.push(e.url.replace(/.*\//, '')),
      });
      const started = Date.now();
      await Promise.all(Array.from({ length: 60 }, (_, i) => alma.request(getUser, { userId: `user${(i % 20) + 1}` })));
      expect(mock.log.entries.filter((e) => e.status === 429)).toHaveLength(0);
      expect(mock.log.maxPerSecond()).toBeLessThanOrEqual(25);
      expect(Date.now() - started).toBeGreaterThan(2000);
      expect(order.slice(0, 25)).toEqual(Array.from({ length: 25 }, (_, i) => `user${(i % 20) + 1}`));
    }));

  test('clients of one institution share it', () =>
    withMock({ perSecondLimit: 25 }, async (mock) => {
      const institution = randomUUID();
      const a = clientOf(mock, { institution, dedupe: false, retry: false });
      const b = clientOf(mock, { institution, dedupe: false, retry: false });
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).request(listLibraries, {})));
      expect(mock.log.entries.filter((e) => e.status === 429)).toHaveLength(0);
      expect(mock.log.maxPerSecond()).toBeLessThanOrEqual(25);
    }));

  test('maxConcurrency bounds the calls in flight', () =>
    withMock({ perSecondLimit: 10_000, faults: [{ kind: 'slow', probability: 1, delayMs: 100 }] }, async (mock) => {
      let inFlight = 0;
      let most = 0;
      const tracked = createClient({
        apiKey: 'rw-key',
        baseUrl: mock.url,
        institution: randomUUID(),
        rateLimit: { perSecond: 1000, maxConcurrency: 3 },
        dedupe: false,
        onRequest: () => (most = Math.max(most, ++inFlight)),
        onResponse: () => inFlight--,
      });
      await Promise.all(Array.from({ length: 9 }, () => tracked.request(listLibraries, {})));
      expect(most).toBe(3);
    }));
});

describe('retries', () => {
  test('429s are retried and the calls succeed', () =>
    withMock({ perSecondLimit: 5 }, async (mock) => {
      // Another application of the institution uses most of its allowance: the mock allows this client 5 a second.
      const alma = clientOf(mock, {
        rateLimit: false,
        dedupe: false,
        retry: { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 2000 },
      });
      const results = await Promise.all(Array.from({ length: 8 }, () => alma.request(listLibraries, {})));
      expect(results).toHaveLength(8);
      expect(mock.log.entries.filter((e) => e.status === 429).length).toBeGreaterThan(0);
      expect(mock.log.entries.filter((e) => e.status === 200)).toHaveLength(8);
    }));

  test('5xx are retried for GET; the retry budget stops a storm during an outage', () =>
    withMock({ perSecondLimit: 10_000, faults: [{ kind: 'error-500', probability: 1 }] }, async (mock) => {
      const alma = clientOf(mock, {
        rateLimit: false,
        dedupe: false,
        retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
      });
      const errors = await Promise.all(
        Array.from({ length: 20 }, () => alma.request(listLibraries, {}).catch((e: unknown) => e)),
      );
      expect(errors.every((e) => e instanceof AlmaServerError)).toBe(true);
      // Without a budget: 20 × 4 = 80 requests. With it: 20 first tries and at most 10 retries.
      expect(mock.log.entries.length).toBeLessThanOrEqual(30);
      expect(mock.log.entries.length).toBeGreaterThan(20);
    }));

  test('a POST is never repeated after a reset that came after the server processed it', () =>
    withMock(
      { perSecondLimit: 10_000, faults: [{ kind: 'reset-after', probability: 1, route: 'createSet' }] },
      async (mock) => {
        const alma = clientOf(mock, { rateLimit: false });
        const before = mock.store.count('/almaws/v1/conf/sets');
        const error = await alma.request(createSet, { body: { name: 'Only once' } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AlmaOutcomeUnknownError);
        expect(String(error)).toMatch(/may or may not have been processed.*not retried/);
        expect(mock.store.count('/almaws/v1/conf/sets')).toBe(before + 1);
        expect(mock.log.entries.filter((e) => e.method === 'POST')).toHaveLength(1);
      },
    ));

  test('a POST is not retried on a 500 either', () =>
    withMock(
      { perSecondLimit: 10_000, faults: [{ kind: 'error-500', probability: 1, route: 'createSet' }] },
      async (mock) => {
        const error = await clientOf(mock, { rateLimit: false })
          .request(createSet, { body: { name: 'x' } })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AlmaServerError);
        expect(mock.log.entries.filter((e) => e.method === 'POST')).toHaveLength(1);
      },
    ));

  const decisions: [
    name: string,
    error: unknown,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    want: 'retry' | 'no' | 'unknown',
  ][] = [
    [
      '429, POST',
      new AlmaRateLimitError({ status: 429, errors: [], operation: 'x', method: 'POST', url: 'u' }),
      'POST',
      'retry',
    ],
    [
      'daily, GET',
      new AlmaDailyLimitError({ status: 429, errors: [], operation: 'x', method: 'GET', url: 'u' }),
      'GET',
      'no',
    ],
    [
      '500, PUT',
      new AlmaServerError({ status: 500, errors: [], operation: 'x', method: 'PUT', url: 'u' }),
      'PUT',
      'retry',
    ],
    [
      '500, POST',
      new AlmaServerError({ status: 500, errors: [], operation: 'x', method: 'POST', url: 'u' }),
      'POST',
      'no',
    ],
    ['timeout, DELETE', new AlmaTimeoutError('x', 'DELETE', 'u', 10), 'DELETE', 'retry'],
    ['timeout, POST', new AlmaTimeoutError('x', 'POST', 'u', 10), 'POST', 'unknown'],
    ['refused, POST', new AlmaNetworkError('x', 'POST', 'u', 'ECONNREFUSED', 'refused'), 'POST', 'retry'],
    ['reset, POST', new AlmaNetworkError('x', 'POST', 'u', 'ECONNRESET', 'reset'), 'POST', 'unknown'],
    ['reset, GET', new AlmaNetworkError('x', 'GET', 'u', 'ECONNRESET', 'reset'), 'GET', 'retry'],
  ];
  test.each(decisions)('%s', (_, error, method, want) => {
    const decision = retryDecision(error, method, 1, RETRY_DEFAULTS, () => 0.5);
    if (want === 'retry') expect(decision.retry).toBe(true);
    else if (want === 'unknown')
      expect(decision).toMatchObject({ retry: false, error: expect.any(AlmaOutcomeUnknownError) });
    else expect(decision).toEqual({ retry: false, error });
  });

  test('Retry-After is honoured, capped; backoff is full jitter, exponential, capped', () => {
    const limited = new AlmaRateLimitError({
      status: 429,
      errors: [],
      operation: 'x',
      method: 'GET',
      url: 'u',
      retryAfterMs: 3000,
    });
    expect(retryDecision(limited, 'GET', 1, RETRY_DEFAULTS, () => 0)).toEqual({ retry: true, delayMs: 3000 });
    const long = new AlmaRateLimitError({
      status: 429,
      errors: [],
      operation: 'x',
      method: 'GET',
      url: 'u',
      retryAfterMs: 3_600_000,
    });
    expect(retryDecision(long, 'GET', 1, RETRY_DEFAULTS, () => 0)).toEqual({ retry: true, delayMs: 30_000 });
    const plain = new AlmaServerError({ status: 500, errors: [], operation: 'x', method: 'GET', url: 'u' });
    expect(retryDecision(plain, 'GET', 3, RETRY_DEFAULTS, () => 1)).toEqual({ retry: true, delayMs: 1000 });
    expect(retryDecision(plain, 'GET', 4, RETRY_DEFAULTS, () => 1)).toMatchObject({ retry: false });
  });
});

describe('the daily budget', () => {
  test('exhaustion fails fast: after DAILY_THRESHOLD, no further request leaves', () =>
    withMock({ perSecondLimit: 10_000, dailyBudget: 3 }, async (mock) => {
      const alma = clientOf(mock, { rateLimit: false, dedupe: false });
      for (let i = 0; i < 3; i++) await alma.request(listLibraries, {});
      expect(alma.budget.remaining).toBe(0);
      await expect(alma.request(listLibraries, {})).rejects.toThrow(AlmaDailyLimitError);
      const sent = mock.log.entries.length;
      const local = await alma.request(listLibraries, {}).catch((e: unknown) => e);
      expect(local).toBeInstanceOf(AlmaDailyLimitError);
      expect((local as AlmaDailyLimitError).resetAt.getTime()).toBeGreaterThan(Date.now());
      await expect(alma.request(getUser, { userId: 'user1' })).rejects.toThrow(/no call made until the reset/);
      expect(mock.log.entries.length).toBe(sent);
      expect(sent).toBe(4);
    }));

  test('the reserve keeps calls for other work; onBudgetLow fires once', () =>
    withMock({ perSecondLimit: 10_000, dailyBudget: 10 }, async (mock) => {
      const low: (number | undefined)[] = [];
      const alma = clientOf(mock, {
        rateLimit: false,
        dedupe: false,
        reserve: 6,
        budgetLowThreshold: 8,
        onBudgetLow: (b) => low.push(b.remaining),
      });
      const results: string[] = [];
      for (let i = 0; i < 6; i++)
        results.push(
          await alma.request(listLibraries, {}).then(
            () => 'ok',
            (e: Error) => e.name,
          ),
        );
      expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'AlmaDailyLimitError', 'AlmaDailyLimitError']);
      expect(mock.log.entries).toHaveLength(4);
      expect(low).toEqual([8]);
      expect(alma.budget).toMatchObject({ remaining: 6, observedAt: expect.any(Date) });
    }));
});

describe('fewer calls', () => {
  test('identical GETs in flight share one request; each caller gets its own object', () =>
    withMock({ perSecondLimit: 10_000 }, async (mock) => {
      const alma = clientOf(mock);
      const users = await Promise.all(
        Array.from({ length: 8 }, () => alma.request<{ primary_id: string }>(getUser, { userId: 'user1' })),
      );
      expect(mock.log.entries).toHaveLength(1);
      expect(users.every((u) => u.primary_id === 'user1')).toBe(true);
      expect(users[0]).not.toBe(users[1]);
      const off = clientOf(mock, { dedupe: false });
      await Promise.all(Array.from({ length: 4 }, () => off.request(getUser, { userId: 'user1' })));
      expect(mock.log.entries).toHaveLength(5);
    }));
});

describe.skipIf(!redisTestsRun())('across processes, through Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  test('the shared log: slots spaced, at most N per window, promised only near, moved to the answer', async () => {
    const client = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true });
    await client.connect();
    // When each slot is due, on the local clock (Redis' is the same machine's); a round trip is the only error.
    const dueOf = async (
      store: ReturnType<typeof redisSlotStore>,
      key: string,
      rule: Parameters<ReturnType<typeof redisSlotStore>['reserve']>[1],
    ) => {
      const answer = await store.reserve(key, rule);
      const now = Date.now();
      return 'ticket' in answer
        ? { ticket: answer.ticket, due: now + answer.waitMs }
        : { ticket: undefined, due: now + answer.retryInMs + rule.horizonMs };
    };
    const near = (value: number, want: number) =>
      expect(Math.abs(value - want), `${value} vs ${want}`).toBeLessThanOrEqual(15);
    try {
      const store = redisSlotStore(client);
      const spaced = { perWindow: 3, windowMs: 300, minGapMs: 40, horizonMs: 100 };
      const first = await dueOf(store, 'spaced', spaced);
      const second = await dueOf(store, 'spaced', spaced);
      const third = await dueOf(store, 'spaced', spaced);
      near(second.due - first.due, 40);
      near(third.due - first.due, 80);
      // The fourth would be 300 ms after the first: beyond the horizon, so not promised yet.
      const fourth = await dueOf(store, 'spaced', spaced);
      expect(fourth.ticket).toBeUndefined();
      near(fourth.due - first.due, 300);
      // A slot given up is free again.
      await store.settle('spaced', third.ticket!, 'dropped');
      expect((await dueOf(store, 'spaced', spaced)).ticket).toEqual(expect.any(String));

      // One per window: the second call may start 300 ms after the first started, until the first is answered at
      // 150 ms; then 300 ms after that answer.
      const single = { perWindow: 1, windowMs: 300, minGapMs: 10, horizonMs: 50 };
      const one = await dueOf(store, 'single', single);
      near((await dueOf(store, 'single', single)).due - one.due, 300);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await store.settle('single', one.ticket!, 'answered');
      near((await dueOf(store, 'single', single)).due - one.due, 450);
    } finally {
      client.disconnect();
    }
  });

  test.each([2, 4])('%i processes of one institution never exceed 25 in any sliding second', (processes) =>
    withMock({ perSecondLimit: 25 }, async (mock) => {
      const institution = randomUUID();
      const worker = path.join(REPO, 'test/fixtures/redis-worker.mjs');
      const outputs = await Promise.all(
        Array.from({ length: processes }, () =>
          run(process.execPath, [worker, mock.url, String(redis.port), String((60 / processes) * 2), institution], {
            cwd: REPO,
          }),
        ),
      );
      const results = outputs.map((o) => JSON.parse(o.stdout.trim()) as { ok: number; limited: number });
      expect(results.reduce((n, r) => n + r.ok, 0)).toBe(120);
      expect(results.reduce((n, r) => n + r.limited, 0)).toBe(0);
      expect(mock.log.maxPerSecond()).toBeLessThanOrEqual(25);
      expect(mock.log.maxPerSecond(() => true)).toBeLessThanOrEqual(25);
    }),
  );
  // Without redis-server (and outside CI) one line says what is skipped and how to run it.
  if (!redisTestsRun()) reportSkippedRedisTests(getCurrentSuite().tasks.length);
});

describe.skipIf(!redisTestsRun())('the limiter when its Redis is lost', () => {
  test('no call waits without bound: a conservative local pace with one warning, and sharing again once Redis is back', async () => {
    const redis = await startRedis();
    const client = new Redis({ port: redis.port, host: '127.0.0.1' });
    const { startServer } = await import('../helpers/server.js');
    const server = await startServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"primary_id":"u"}');
    });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    const getUser: OperationSpec = { name: 'getUser', method: 'GET', path: '/almaws/v1/users/u', status: 200 };
    try {
      const alma = createClient({
        apiKey: 'k',
        baseUrl: server.url,
        institution: `redis-lost-${randomUUID()}`,
        retry: false,
        dedupe: false,
        rateLimit: { perSecond: 20, store: redisSlotStore(client), workers: 4 },
      });
      for (let i = 0; i < 3; i++) await alma.request(getUser, {});
      // Redis killed by its pid, mid-run.
      process.kill(redis.pid, 'SIGKILL');
      const started = Date.now();
      const calls: number[] = [];
      for (let i = 0; i < 8; i++) {
        await alma.request(getUser, {});
        calls.push(Date.now());
      }
      // Bounded: the store's timeout once (2 s), then 8 calls at 20/4 = 5 a second, not ioredis' retries per call.
      expect(Date.now() - started).toBeLessThan(8_000);
      // And paced: the local fallback spaces the calls (5 a second: about 200 ms apart).
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
      expect(warnings.filter((w) => /unreachable/.test(w))).toHaveLength(1);
      expect(warnings[0]).toMatch(/paces itself locally at 5 calls\/s \(its allowance split by 4 workers\)/);

      // Redis back on the same port: after the store's retry delay, the pace is shared again, and said so.
      const again = await startRedis(redis.port);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5_500));
        await alma.request(getUser, {});
        expect(warnings.some((w) => /answers again/.test(w))).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      console.warn = warn;
      client.disconnect();
      await server.close();
    }
  }, 60_000);
});
