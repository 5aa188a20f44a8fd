/**
 * The limiter against the mock at Alma's 25 calls/s, in one run:
 * 1. one process, 1,000 GETs at concurrency 50: achieved rate ÷ 25 (target ≥ 0.95), 429s surfaced (target 0);
 * 2. four worker processes sharing Redis, 250 GETs each at concurrency 50: the most calls that arrived in any
 *    sliding second (target ≤ 25) and utilisation (target ≥ 0.90);
 * 3. a naive client (plain fetch, no limiter), for comparison.
 * The clients run in child processes (compiled runtime, `npm run build`), the mock in this one.
 *
 *   npm run bench:throughput
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../generator/config.js';
import { startMockServer, type MockServer } from '../mock/index.js';
import { startRedis } from '../test/helpers/redis.js';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const worker = path.join(repo, 'test/fixtures/redis-worker.mjs');
const config = loadConfig(path.join(repo, 'alma-codegen.yaml'));
const TOTAL = 1000;
const LIMIT = 25;

async function scenario(name: string, processes: number, mode: (redisPort: number) => string, redisPort: number) {
  const mock: MockServer = await startMockServer({
    config,
    keys: [{ key: 'rw-key', institution: 'bench' }],
    perSecondLimit: LIMIT,
    dailyBudget: 10_000_000,
  });
  const institution = randomUUID();
  const outputs = await Promise.all(
    Array.from({ length: processes }, () =>
      run(
        process.execPath,
        [worker, mock.url, mode(redisPort), String(TOTAL / processes), institution, '50', 'retry'],
        { cwd: repo, maxBuffer: 1 << 20 },
      ),
    ),
  );
  const results = outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').pop()!) as { ok: number; limited: number });
  // The rate of calls done, over the whole time calls arrived (for the naive client: most were refused).
  const accepted = mock.log.entries.filter((e) => e.status === 200).map((e) => e.time);
  const arrived = mock.log.entries.map((e) => e.time);
  const seconds = Math.max(1, Math.max(...arrived) - Math.min(...arrived)) / 1000;
  const rate = accepted.length / Math.max(seconds, 1);
  const arrivals = mock.log.maxPerSecond(() => true);
  const refused = mock.log.entries.filter((e) => e.status === 429).length;
  const surfaced = results.reduce((n, r) => n + r.limited, 0);
  console.log(
    `${name.padEnd(36)} ${String(accepted.length).padStart(5)}/${TOTAL} ok in ${seconds.toFixed(1).padStart(5)} s  rate ${rate.toFixed(2).padStart(6)}/s  ratio ${(rate / LIMIT).toFixed(3)}  ` +
      `max arrivals in a sliding second ${String(arrivals).padStart(4)}  429s at the mock ${String(refused).padStart(4)}  429s surfaced ${surfaced}`,
  );
  await mock.close();
}

const redis = await startRedis();
console.log(`${TOTAL} GETs at concurrency 50 against the mock at ${LIMIT} calls/s`);
await scenario('1 process, in-process limiter', 1, () => 'local', redis.port);
await scenario('4 processes sharing Redis', 4, (port) => String(port), redis.port);
await scenario('naive client (fetch, no limiter)', 1, () => 'naive', redis.port);
console.log(
  'targets: ratio ≥ 0.95 and 0 surfaced for one process; ≤ 25 in every sliding second and ratio ≥ 0.90 for four processes',
);
await redis.stop();
