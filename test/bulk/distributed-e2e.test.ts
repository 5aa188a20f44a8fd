import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { type MockServer, startMockServer } from '../../mock/index.js';
import { writeGenerated } from '../helpers/generated.js';
import { redisTestsRun, reportSkippedRedisTests, startRedis } from '../helpers/redis.js';
import { REPO, repoTempDir } from '../helpers/specs.js';
import { audit, itemRows, startRun, until, writeCsv, writesTo } from './helpers.js';

/**
 * A bulk run over several processes through BullMQ on a real Redis: a producer and workers as real processes, one
 * worker killed with SIGKILL mid-run; the others take its items over without writing any item twice.
 */
const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
const runs = redisTestsRun();
if (!runs) reportSkippedRedisTests(3);

let pkg: string;
let redis: Awaited<ReturnType<typeof startRedis>>;
let mock: MockServer;
beforeAll(async () => {
  if (!runs) return;
  pkg = await writeGenerated(config);
  redis = await startRedis();
  // Each write is answered 600 ms after it is made: a worker's items spend nearly all their time with a write made
  // and unanswered, so a kill always finds some (the limiter's waits are short beside it).
  const faults = [{ kind: 'slow' as const, probability: 1, route: 'replaceBibHoldingItem', delayMs: 600 }];
  // The victim's key counts at the mock as an institution of its own, so that its writes can be told apart.
  const keys = [{ key: 'bulk-key' }, { key: 'victim-key', institution: 'VICTIM' }];
  mock = await startMockServer({ config, keys, perSecondLimit: 1_000, size: 240, faults });
});
afterAll(async () => {
  await mock?.close();
  await redis?.stop();
});

describe.runIf(runs)('a run on several processes (BullMQ on Redis)', () => {
  test('a worker killed with SIGKILL: the others take its items over; nothing lost, nothing written twice', async () => {
    const rows = itemRows(mock, 240, 'DIST1');
    const dir = repoTempDir('e2e-bulk-');
    const input = writeCsv(path.join(dir, 'items.csv'), rows);
    const base = { pkg, mockUrl: mock.url, name: 'dist', dir, input, perSecond: 120, reconcile: true, concurrency: 5 };
    const worker = (apiKey?: string) =>
      startRun({
        ...base,
        ...(apiKey ? { apiKey } : {}),
        distributed: { role: 'worker', redisPort: redis.port, lockMs: 2_000 },
      });
    const producer = startRun({ ...base, distributed: { role: 'producer', redisPort: redis.port } });
    const victim = worker('victim-key');
    const others = [worker(), worker()];
    // Killed once it has written items itself: it has writes made and unanswered in hand (the answers are slow).
    const victimWrites = () => mock.log.entries.filter((e) => e.institution === 'VICTIM' && e.method === 'PUT').length;
    await until(() => victimWrites() >= 5 && writesTo(mock, rows) >= 60);
    victim.child.kill('SIGKILL');
    expect((await victim.done).signal).toBe('SIGKILL');

    const produced = await producer.done;
    expect(produced.code, produced.stderr + produced.stdout.slice(-2000)).toBe(0);
    const finished = await Promise.all(others.map((o) => o.done));
    for (const f of finished) expect(f.code, f.stderr).toBe(0);
    expect(produced.report!.counts.done + produced.report!.counts.reconciled).toBe(240);
    // The killed worker's jobs in hand: made and unanswered (the answers are slow), settled by reconcile.
    expect(
      produced.report!.counts.reconciled,
      JSON.stringify({
        producer: produced.report!.counts,
        workers: finished.map((f) => f.report?.counts),
        victimWrites: victimWrites(),
      }),
    ).toBeGreaterThan(0);
    expect(audit(mock, rows)).toEqual({ lost: 0, duplicated: 0 });
  }, 120_000);

  test('run again, the producer finds everything done: it queues nothing and the workers end', async () => {
    const rows = itemRows(mock, 240, 'DIST1');
    const dir = repoTempDir('e2e-bulk-');
    const input = writeCsv(path.join(dir, 'items.csv'), rows);
    const base = { pkg, mockUrl: mock.url, name: 'dist', dir, input, perSecond: 120, reconcile: true };
    const before = writesTo(mock, rows);
    const producer = startRun({ ...base, distributed: { role: 'producer', redisPort: redis.port } });
    const worker = startRun({ ...base, distributed: { role: 'worker', redisPort: redis.port } });
    const [p, w] = await Promise.all([producer.done, worker.done]);
    expect(p.code, p.stderr).toBe(0);
    expect(w.code, w.stderr).toBe(0);
    expect(p.report!.counts).toMatchObject({ skipped: 240, done: 0 });
    expect(writesTo(mock, rows)).toBe(before);
  }, 60_000);
});

describe.runIf(runs)('the daily limit across workers', () => {
  test('the workers pause (exit 75), the producer says so; run again the next day, the run finishes', async () => {
    await withDailyBudget(async (daily) => {
      const rows = itemRows(daily, 30, 'DIST2');
      const dir = repoTempDir('e2e-bulk-');
      const input = writeCsv(path.join(dir, 'items.csv'), rows);
      const base = { pkg, mockUrl: daily.url, name: 'dist-daily', dir, input, perSecond: 200, concurrency: 2 };
      const start = () => [
        startRun({ ...base, distributed: { role: 'producer', redisPort: redis.port } }),
        startRun({ ...base, distributed: { role: 'worker', redisPort: redis.port, lockMs: 2_000 } }),
      ];
      const paused = await Promise.all(start().map((p) => p.done));
      for (const p of paused) expect(p.code, p.stderr).toBe(75);
      expect(paused[0]!.report!.summary).toMatch(/paused at Alma's daily limit/);
      const written = writesTo(daily, rows);
      expect(written).toBeGreaterThan(5);
      expect(written).toBeLessThan(30);

      daily.newDay();
      const resumed = await Promise.all(start().map((p) => p.done));
      for (const p of resumed) expect(p.code, p.stderr).toBe(0);
      expect(audit(daily, rows)).toEqual({ lost: 0, duplicated: 0 });
    });
  }, 120_000);
});

async function withDailyBudget(body: (daily: MockServer) => Promise<void>): Promise<void> {
  const daily = await startMockServer({
    config,
    keys: [{ key: 'bulk-key' }],
    perSecondLimit: 1_000,
    size: 30,
    dailyBudget: 41,
  });
  try {
    await body(daily);
  } finally {
    await daily.close();
  }
}
