import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { type MockOptions, type MockServer, startMockServer } from '../../mock/index.js';
import { Redis } from 'ioredis';
import { loadGenerated } from '../helpers/generated.js';
import { redisTestsRun, reportSkippedRedisTests, startRedis } from '../helpers/redis.js';
import { REPO } from '../helpers/specs.js';

/**
 * The mock as an integration profile: it sends webhooks to a real listener (signed, JSON or XML, retried as Alma
 * retries); a job's wait completes from its JOB_END with no polling call; Alma's job limits queue instead of failing.
 */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  webhooks: typeof import('../../output/alma-client/src/webhooks.js');
  conf: typeof import('../../output/alma-client/src/conf.js');
  bibs: typeof import('../../output/alma-client/src/bibs.js');
};
type WebhookEvent = import('../../output/alma-client/src/webhooks.js').WebhookEvent;

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
if (!redisTestsRun()) reportSkippedRedisTests(1);
const SECRET = 'mock-profile-secret';
let pkg: Package;
beforeAll(async () => {
  pkg = await loadGenerated<Package>(config, ['runtime/index', 'webhooks', 'conf', 'bibs']);
});

/** A listener and a mock that sends it webhooks; closed whatever happens. */
async function withLoop(
  options: {
    mock?: MockOptions;
    format?: 'json' | 'xml';
    onEvent?: (e: WebhookEvent) => unknown;
    answer?: () => number;
  },
  body: (loop: {
    mock: MockServer;
    events: WebhookEvent[];
    listener: ReturnType<Package['webhooks']['createWebhookHandler']>;
  }) => Promise<void>,
): Promise<void> {
  const events: WebhookEvent[] = [];
  const listener = pkg.webhooks.createWebhookHandler({
    secret: SECRET,
    onEvent: async (event) => {
      events.push(event);
      await options.onEvent?.(event);
    },
  });
  const server: Server = createServer((req, res) => {
    const status = options.answer?.();
    if (status) {
      res.writeHead(status);
      res.end();
      return;
    }
    void listener.node(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alma`;
  const mock = await startMockServer({
    config,
    keys: [{ key: 'hook-key' }],
    perSecondLimit: 10_000,
    size: 24,
    webhooks: { url, secret: SECRET, format: options.format ?? 'json', retryDelayMs: 50 },
    ...options.mock,
  });
  try {
    await body({ mock, events, listener });
  } finally {
    await mock.webhooks?.settle();
    await mock.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const instanceReads = (mock: MockServer) =>
  mock.log.entries.filter((e) => e.method === 'GET' && /\/instances\//.test(e.path));
/** The ids of seven manual jobs (the seeded ones and more). */
function jobIds(mock: MockServer): string[] {
  const path = '/almaws/v1/conf/jobs';
  for (let i = mock.store.count(path); i < 7; i++)
    mock.store.insert(path, { id: `M9900000000000${i}`, name: `Job ${i}`, type: { value: 'MANUAL', desc: 'Manual' } });
  return mock.store.all(path).map((j) => String(j.id));
}

describe.each(['json', 'xml'] as const)('the mock sends webhooks (%s)', (format) => {
  test('a job run through the mock ends with JOB_END, and the wait completes from it: no polling call', () =>
    withLoop({ format, mock: { jobs: { durationMs: 150 } } }, async ({ mock, events, listener }) => {
      const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url, format });
      const [jobId] = jobIds(mock);
      const run = await pkg.conf.runJobAndWait(alma, { jobId: jobId!, body: {} }, { events: listener, pollMs: 10 });
      expect(run.status).toBe('COMPLETED_SUCCESS');
      expect(instanceReads(mock)).toEqual([]);
      await mock.webhooks!.settle();
      const [event] = events;
      expect(event?.type).toBe('JOB_END');
      if (event?.type === 'JOB_END') expect(String(event.job_instance.id)).toBe(run.instanceId);
      // Signed and delivered once.
      expect(mock.webhooks!.deliveries.map((d) => [d.action, d.attempt, d.status])).toEqual([['JOB_END', 1, 200]]);
    }));

  test('a write through the mock sends its event: an item updated → ITEM, ITEM_UPDATED, the item typed', () =>
    withLoop({ format }, async ({ mock, events, listener }) => {
      const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url, format });
      const item = mock.store.all('/almaws/v1/bibs/ALL/holdings/ALL/items')[0]!;
      const ids = {
        mmsId: String((item.bib_data as { mms_id: string }).mms_id),
        holdingId: String((item.holding_data as { holding_id: string }).holding_id),
        itemPid: String((item.item_data as { pid: string }).pid),
      };
      await pkg.bibs.updateBibHoldingItem(alma, ids, (record) => {
        record.item_data.public_note = 'Hooked';
      });
      await mock.webhooks!.settle();
      await listener.drain();
      const event = events.find((e) => e.type === 'ITEM');
      expect(event?.event?.value).toBe('ITEM_UPDATED');
      if (event?.type === 'ITEM') expect(event.item.item_data.public_note).toBe('Hooked');
    }));
});

describe('delivery as Alma does it', () => {
  test(
    'a handler slower than Alma’s 5 s does not cause a resend: the listener answers first',
    () =>
      withLoop(
        { mock: { jobs: { durationMs: 50 } }, onEvent: () => new Promise((r) => setTimeout(r, 5_500)) },
        async ({ mock, events, listener }) => {
          const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url });
          await pkg.conf.runJobAndWait(alma, { jobId: jobIds(mock)[1]!, body: {} }, { events: listener });
          await listener.drain();
          expect(mock.webhooks!.deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 200]]);
          expect(mock.webhooks!.deliveries[0]!.ms).toBeLessThan(1_000);
          expect(events).toHaveLength(1);
        },
      ),
    20_000,
  );

  test('a listener that fails gets the event again (same id), and handles it once', () => {
    let failures = 2;
    return withLoop(
      { mock: { jobs: { durationMs: 50 } }, answer: () => (failures-- > 0 ? 503 : 0) },
      async ({ mock, events, listener }) => {
        const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url });
        await pkg.conf.runJobAndWait(alma, { jobId: jobIds(mock)[2]!, body: {} }, { events: listener });
        await mock.webhooks!.settle();
        const tries = mock.webhooks!.deliveries;
        expect(tries.map((d) => [d.attempt, d.status])).toEqual([
          [1, 503],
          [2, 503],
          [3, 200],
        ]);
        expect(new Set(tries.map((d) => d.id)).size).toBe(1);
        expect(events).toHaveLength(1);
      },
    );
  });
});

describe("Alma's job limits: runs queue instead of failing", () => {
  const limits = { running: 3, perJobPerWindow: 2, windowMs: 1_500 };
  const runs = (mock: MockServer) =>
    mock.log.entries.filter((e) => e.method === 'POST' && /\/conf\/jobs\/[^/]+$/.test(e.path));

  test(
    'five jobs at once with 3 running at most: none refused; without the limits, Alma refuses (402222)',
    () =>
      withLoop({ mock: { jobs: { durationMs: 300, limits } } }, async ({ mock, listener }) => {
        const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url });
        const jobs = jobIds(mock).slice(0, 5);
        expect(jobs).toHaveLength(5);
        const options = { events: listener, limits: pkg.runtime.jobLimits(limits) };
        const done = await Promise.all(jobs.map((jobId) => pkg.conf.runJobAndWait(alma, { jobId, body: {} }, options)));
        expect(done.map((d) => d.status)).toEqual(Array(5).fill('COMPLETED_SUCCESS'));
        expect(runs(mock).map((e) => e.status)).toEqual(Array(5).fill(200));

        // The same without the limits: Alma's refusals come back (and are waited out, then tried again).
        const before = runs(mock).length;
        const unlimited = { events: listener, limits: false as const, busyRetryMs: 100 };
        await Promise.all(
          jobs.map((jobId) =>
            pkg.conf.runJobAndWait(alma, { jobId: `${jobId}`, body: {} }, unlimited).catch(() => undefined),
          ),
        );
        expect(
          runs(mock)
            .slice(before)
            .filter((e) => e.status === 400).length,
        ).toBeGreaterThan(0);
      }),
    30_000,
  );

  test(
    'the same job more often than its window allows: the extra run waits for the window, not refused (402223)',
    () =>
      withLoop({ mock: { jobs: { durationMs: 50, limits } } }, async ({ mock, listener }) => {
        const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url });
        const jobId = jobIds(mock)[6]!;
        const options = { events: listener, limits: pkg.runtime.jobLimits(limits) };
        const started = Date.now();
        for (let i = 0; i < 3; i++) await pkg.conf.runJobAndWait(alma, { jobId, body: {} }, options);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
        expect(runs(mock).map((e) => e.status)).toEqual([200, 200, 200]);
      }),
    30_000,
  );
});

describe.runIf(redisTestsRun())("Alma's job limits shared through Redis", () => {
  test('two processes’ limiters on one Redis keep 3 running between them: none refused', async () => {
    const redis = await startRedis();
    const clients = [0, 1].map(() => new Redis({ host: '127.0.0.1', port: redis.port }));
    try {
      const limits = { running: 3, perJobPerWindow: 5, windowMs: 60_000 };
      await withLoop({ mock: { jobs: { durationMs: 300, limits } } }, async ({ mock, listener }) => {
        const alma = pkg.runtime.createClient({ apiKey: 'hook-key', baseUrl: mock.url });
        // One limiter per "process", each with its own connection, sharing the institution's places.
        const [a, b] = clients.map((store) => pkg.runtime.jobLimits({ ...limits, store, institution: 'HOOK_INST' }));
        const jobs = jobIds(mock).slice(0, 6);
        await Promise.all(
          jobs.map((jobId, i) =>
            pkg.conf.runJobAndWait(alma, { jobId, body: {} }, { events: listener, limits: i % 2 ? a! : b! }),
          ),
        );
        const runs = mock.log.entries.filter((e) => e.method === 'POST' && /\/conf\/jobs\/[^/]+$/.test(e.path));
        expect(runs.map((e) => e.status)).toEqual(Array(6).fill(200));
      });
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
      await redis.stop();
    }
  }, 30_000);
});
