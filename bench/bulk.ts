/**
 * Bulk runs that lose nothing, measured: 10,000 item updates (read the item, set its policy, write it back) against
 * the mock with its governance on, its per-second ceiling raised so that a setup takes about a minute. For each setup
 * (one process; four worker processes and a producer through BullMQ on Redis) the run is killed with SIGKILL about
 * half way, resumed, and audited at the mock:
 *   lost N              items not set when the run ends
 *   duplicated N        items written more than once
 *   unknown N           items whose write was in flight at the kill: left for reconcile (which settled them)
 *   throughput ratio R  calls per second while the processes ran, over the ceiling
 * Goal: lost 0, duplicated 0, ratio ≥ 0.9 with the journal on. Then the journal's own cost per item (a `started`, a
 * `sent` and a `done` entry) in each sync mode. `BULK_SETUPS=none` measures the journal alone.
 *
 *   npm run bench:bulk
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../generator/config.js';
import { type MockServer, startMockServer } from '../mock/index.js';
import { fileJournal } from '../runtime/bulk/journal.js';
import { audit, itemRows, startRun, until, writeCsv, writesTo } from '../test/bulk/helpers.js';
import type { BulkSetup } from '../test/fixtures/bulk-items.js';
import { writeGenerated } from '../test/helpers/generated.js';
import { startRedis } from '../test/helpers/redis.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfig(path.join(repo, 'alma-codegen.yaml'));
const ITEMS = Number(process.env.BULK_ITEMS ?? 10_000);
/** Two calls per item: 20,000 calls at this ceiling take about a minute. */
const CEILING = Number(process.env.BULK_CEILING ?? 340);

async function setupRun(name: string, workers: number, pkg: string, redisPort: number) {
  const mock: MockServer = await startMockServer({
    config,
    keys: [{ key: 'bulk-key' }],
    perSecondLimit: CEILING,
    dailyBudget: 10_000_000,
    size: ITEMS,
  });
  try {
    const rows = itemRows(mock, ITEMS, 'BENCH');
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-bulk-'));
    const input = writeCsv(path.join(dir, 'items.csv'), rows);
    const base: BulkSetup = {
      pkg,
      mockUrl: mock.url,
      name,
      dir,
      input,
      total: ITEMS,
      perSecond: CEILING,
      concurrency: Number(process.env.BULK_CONCURRENCY ?? 16),
      reconcile: true,
      institution: `bench-${name}`,
    };
    const start = () =>
      workers === 0
        ? [startRun(base)]
        : [
            startRun({ ...base, distributed: { role: 'producer', redisPort } }),
            ...Array.from({ length: workers }, () =>
              startRun({ ...base, concurrency: 8, distributed: { role: 'worker', redisPort, lockMs: 3_000 } }),
            ),
          ];
    const phases: { from: number; to: number }[] = [];
    const first = start();
    const firstStart = Date.now();
    await until(() => writesTo(mock, rows) >= ITEMS / 2, 600_000);
    for (const p of first) p.child.kill('SIGKILL');
    await Promise.all(first.map((p) => p.done));
    phases.push({ from: firstStart, to: Date.now() });
    const second = start();
    const secondStart = Date.now();
    const ended = await Promise.all(second.map((p) => p.done));
    phases.push({ from: secondStart, to: Date.now() });
    const report = ended[0]!.report;
    if (!report) throw new Error(`the resumed run ended without a report: ${ended[0]!.stderr.slice(-2000)}`);
    // The time calls were arriving in each phase (process start-up and the kill's aftermath excluded).
    const running = phases.reduce((sum, phase) => {
      const times = mock.log.entries.filter((e) => e.time >= phase.from && e.time <= phase.to).map((e) => e.time);
      return sum + (times.length ? Math.max(...times) - Math.min(...times) : 0);
    }, 0);
    const calls = mock.log.entries.filter((e) => e.status !== 429).length;
    const { lost, duplicated } = audit(mock, rows);
    rmSync(dir, { recursive: true, force: true });
    const refused = mock.log.entries.filter((e) => e.status === 429).length;
    const busiest = mock.log.maxPerSecond();
    return {
      lost,
      duplicated,
      unknown: report.counts.reconciled + report.counts.unknown,
      calls,
      running,
      refused,
      busiest,
      status: report.status,
    };
  } finally {
    await mock.close();
  }
}

async function journalCost(sync: 'batch' | 'always' | 'none'): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-journal-'));
  const journal = await fileJournal(path.join(dir, 'j.journal.jsonl'), 'j', { sync });
  const count = 2_000;
  const started = process.hrtime.bigint();
  // As a run writes them: items 16 at a time, each a `sent` then a `done`, each awaited.
  await Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let i = lane; i < count; i += 16) {
        const at = new Date().toISOString();
        await journal.append({ key: String(i), state: 'started', at });
        await journal.append({ key: String(i), state: 'sent', at });
        await journal.append({ key: String(i), state: 'done', at, result: { barcode: `39074${i}` } });
      }
    }),
  );
  const perItemUs = Number(process.hrtime.bigint() - started) / 1000 / count;
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
  return perItemUs;
}

const pkg = await writeGenerated(config);
const redis = await startRedis();
try {
  console.log(
    `bulk: ${ITEMS} item updates (2 calls each) against the mock at ${CEILING} calls/s, killed half way and resumed`,
  );
  const setups =
    process.env.BULK_SETUPS === 'none'
      ? []
      : ([
          ['one process', 0],
          ['4 worker processes through Redis', 4],
        ] as const);
  for (const [label, workers] of setups) {
    const r = await setupRun(label === 'one process' ? 'single' : 'workers', workers, pkg, redis.port);
    const ratio = r.calls / (r.running / 1000) / CEILING;
    console.log(
      `\n${label}: ${r.status}; ${r.calls} calls in ${(r.running / 1000).toFixed(1)} s of running; ` +
        `busiest second ${r.busiest} calls; ${r.refused} refused with 429`,
    );
    console.log(`lost ${r.lost}`);
    console.log(`duplicated ${r.duplicated}`);
    console.log(`unknown ${r.unknown}`);
    console.log(`throughput ratio ${ratio.toFixed(2)}`);
  }
  console.log('\njournal cost per item (a started, a sent and a done entry, 16 items at a time):');
  for (const sync of ['none', 'batch', 'always'] as const)
    console.log(`  sync ${sync}: ${(await journalCost(sync)).toFixed(1)} µs`);
} finally {
  await redis.stop();
}
