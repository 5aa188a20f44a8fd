/**
 * Verified webhook events per second through the generated listener (`createWebhookHandler(...).node` on node:http:
 * the body read, the signature checked over it, JSON decoded, the institution and the id checked, the event handed
 * on), beside a bare node:http server that only reads the body and answers 200, in the same run, with the same
 * keep-alive load (64 requests in flight). Goal: a ratio of at least 0.5.
 *
 *   npm run bench:webhooks
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../generator/config.js';
import { writeGenerated } from '../test/helpers/generated.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfig(path.join(repo, 'alma-codegen.yaml'));
const EVENTS = Number(process.env.WEBHOOK_EVENTS ?? 20_000);
const IN_FLIGHT = 64;
const SECRET = 'bench-secret';

const dir = await writeGenerated(config);
const webhooks = (await import(
  path.join(dir, 'src/webhooks.ts')
)) as typeof import('../output/alma-client/src/webhooks.js');

// Bodies and signatures made before the clock starts: the load costs the same for both servers.
const bodies = await Promise.all(
  Array.from({ length: EVENTS }, async (_, i) => {
    const body = JSON.stringify({
      id: `bench-${i}`,
      action: 'ITEM',
      institution: { value: '01BENCH_INST', desc: 'Bench' },
      time: new Date().toISOString(),
      event: { value: 'ITEM_UPDATED' },
      item: { item_data: { barcode: `39074${i}`, pid: `23${i}`, base_status: { value: '1', desc: 'Item in place' } } },
    });
    return { body, signature: await webhooks.signWebhook(SECRET, body) };
  }),
);

async function measure(name: string, listener: RequestListener, count: () => number): Promise<number> {
  const server = createServer(listener);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alma`;
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const { body, signature } = bodies[next++]!;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Exl-Signature': signature },
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 200) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const perSecond = count() / seconds;
  console.log(`${name}: ${Math.round(perSecond)} events/s (${count()} in ${seconds.toFixed(2)} s, ${failed} not 200)`);
  return perSecond;
}

let verified = 0;
const listener = webhooks.createWebhookHandler({
  secret: SECRET,
  institution: '01BENCH_INST',
  onEvent: () => {
    verified++;
  },
});
let bare = 0;
const bareServer: RequestListener = (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    bare++;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('received');
  });
};

console.log(`webhooks: ${EVENTS} signed JSON events, ${IN_FLIGHT} in flight, keep-alive`);
// One after the other, each with its own server, the same bodies.
const ours = await measure('listener (verified, decoded, deduplicated)', listener.node, () => verified);
await listener.drain();
const peer = await measure('bare node:http (body read, 200)', bareServer, () => bare);
console.log(`ratio ${(ours / peer).toFixed(2)} (goal ≥ 0.5)`);
