/**
 * Throughput of the mock server on loopback, so that it is never the bottleneck of the threshold benchmarks:
 * 50 concurrent keep-alive connections for a few seconds, GET a user in JSON and in XML, and a list page. Target:
 * ≥ 2,000 requests/s. Then a list page's latency with 500 and with 100,000 seeded users, and their ratio (goal < 2).
 *
 *   npm run bench:mock [-- --seconds 5]
 */
import { Agent, request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../generator/config.js';
import { startMockServer } from '../mock/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 4;
const CONCURRENCY = 50;

const mock = await startMockServer({
  config: loadConfig(path.join(repo, 'alma-codegen.yaml')),
  keys: [{ key: 'bench' }],
  perSecondLimit: Number.MAX_SAFE_INTEGER,
  dailyBudget: Number.MAX_SAFE_INTEGER,
  size: 100,
});
const { hostname, port } = new URL(mock.url);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(pathname: string, accept: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: pathname, agent, headers: { Authorization: 'apikey bench', Accept: accept } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function load(name: string, pathname: string, accept: string): Promise<void> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < until) {
      if ((await get(pathname, accept)) === 200) done++;
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const rate = done / ((performance.now() - started) / 1000);
  console.log(
    `${name.padEnd(34)} ${rate.toFixed(0).padStart(6)} requests/s  (${done} ok, ${failed} failed; target ≥ 2000: ${rate >= 2000 ? 'met' : 'NOT met'})`,
  );
}

console.log(`mock on ${mock.url}, ${CONCURRENCY} connections, ${seconds} s each`);
await load('GET /users/{id}, JSON', '/almaws/v1/users/user7', 'application/json');
await load('GET /users/{id}, XML', '/almaws/v1/users/user7', 'application/xml');
await load('GET /users?limit=10, JSON', '/almaws/v1/users?limit=10', 'application/json');
agent.destroy();
await mock.close();

/** The median latency of a list page (10 users, by offset) on a mock seeded with `size` users. */
async function pageLatency(size: number): Promise<number> {
  const seeded = await startMockServer({
    config: loadConfig(path.join(repo, 'alma-codegen.yaml')),
    keys: [{ key: 'bench' }],
    perSecondLimit: Number.MAX_SAFE_INTEGER,
    dailyBudget: Number.MAX_SAFE_INTEGER,
    size,
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < 41; i++) {
      const started = performance.now();
      const response = await fetch(`${seeded.url}/almaws/v1/users?limit=10&offset=${(i * 37) % size}`, {
        headers: { Authorization: 'apikey bench', Accept: 'application/json' },
      });
      await response.text();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[20]!;
  } finally {
    await seeded.close();
  }
}

// A list page costs the page, not the collection (issue #30): the goal is a ratio under 2.
const [small, large] = [await pageLatency(500), await pageLatency(100_000)];
console.log(
  `list page, median of 41: ${small.toFixed(2)} ms with 500 users, ${large.toFixed(2)} ms with 100,000; ratio ${(large / small).toFixed(2)} (goal < 2)`,
);
