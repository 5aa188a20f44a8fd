/**
 * Peak memory while a 200 MB answer is refused at the client's limit (`maxDocumentBytes`, default 32 MiB): the
 * answer streams without a Content-Length (so only counting can stop it), and the process's resident memory is
 * sampled every 5 ms while the call runs. Goal: the growth stays under 2 × the limit.
 *
 *   npm run bench:limits
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createClient } from '../runtime/client.js';

const LIMIT = 32 * 1024 * 1024;
const ANSWER = 200 * 1024 * 1024;

// The server in a process of its own: what is measured is the client's memory alone.
const SERVER = `
const { createServer } = require('node:http');
const server = createServer((_, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  let sent = 0;
  const pump = () => {
    while (sent < ${ANSWER}) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;
const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = Number((await once(child.stdout!, 'data'))[0].toString().trim());

const alma = createClient({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}`, retry: false, rateLimit: false });
// A settled baseline: what earlier work left is collected first.
(globalThis as { gc?: () => void }).gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const started = performance.now();
const outcome = await alma
  .request({ name: 'getBig', method: 'GET', path: '/almaws/v1/big', status: 200 }, {})
  .then(() => 'read whole (the limit did not hold)')
  .catch((error: Error) => error.message);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
child.kill();
const growth = peak - base;
console.log(`a ${ANSWER / 1024 / 1024} MB answer, limit ${LIMIT / 1024 / 1024} MiB: ${outcome.slice(0, 120)}`);
console.log(
  `peak memory growth ${(growth / 1024 / 1024).toFixed(1)} MiB in ${(performance.now() - started).toFixed(0)} ms; ratio to the limit ${(growth / LIMIT).toFixed(2)} (goal < 2)`,
);
process.exit(0);
