import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { type MockServer, startMockServer } from '../../mock/index.js';
import { writeGenerated } from '../helpers/generated.js';
import { REPO, repoTempDir } from '../helpers/specs.js';
import { audit, itemRows, runToEnd, startRun, until, writeCsv, writesTo } from './helpers.js';

/**
 * Bulk runs over real HTTP against the mock, each run a real process (killed with SIGKILL where the test says):
 * crash and resume, outcomes unknown with and without reconcile, the daily limit, the failures CSV fed back.
 */
const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let pkg: string;
beforeAll(async () => {
  pkg = await writeGenerated(config);
});

async function withItems<T>(
  options: { size: number; count: number; policy: string; mock?: Parameters<typeof startMockServer>[0] },
  body: (mock: MockServer, rows: ReturnType<typeof itemRows>, dir: string, input: string) => Promise<T>,
): Promise<T> {
  const mock = await startMockServer({
    config,
    keys: [{ key: 'bulk-key' }],
    perSecondLimit: 1_000,
    size: options.size,
    ...options.mock,
  });
  try {
    const rows = itemRows(mock, options.count, options.policy);
    const dir = repoTempDir('e2e-bulk-');
    return await body(mock, rows, dir, writeCsv(path.join(dir, 'items.csv'), rows));
  } finally {
    await mock.close();
  }
}

describe('a run killed half way (SIGKILL) and resumed', () => {
  test('every item is set once: nothing lost, nothing written twice; the unknown ones went to reconcile', async () => {
    // Answers to writes come 150 ms after the write is made: a kill always lands with writes made and unanswered.
    const faults = [{ kind: 'slow' as const, probability: 1, route: 'replaceBibHoldingItem', delayMs: 150 }];
    await withItems({ size: 300, count: 300, policy: 'BULK1', mock: { faults } }, async (mock, rows, dir, input) => {
      const setup = { pkg, mockUrl: mock.url, name: 'crash', dir, input, perSecond: 150, reconcile: true };
      const first = startRun(setup);
      await until(() => writesTo(mock, rows) >= 100);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      const half = writesTo(mock, rows);
      expect(half).toBeGreaterThanOrEqual(100);
      expect(half).toBeLessThan(300);
      // The journal is readable as it was left: every line whole JSON (a torn last line would be dropped on resume).
      const journal = readFileSync(path.join(dir, 'crash.journal.jsonl'), 'utf8');
      const lines = journal.split('\n').filter(Boolean);
      for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();

      const resumed = await runToEnd(setup);
      expect(resumed.code, resumed.stderr).toBe(0);
      const counts = resumed.report!.counts;
      expect(counts.skipped).toBeGreaterThanOrEqual(90);
      // The writes in flight at the kill: made, unanswered, journalled `sent`: each settled by reconcile, not redone.
      expect(counts.reconciled).toBeGreaterThan(0);
      expect(counts.skipped + counts.done + counts.reconciled).toBe(300);
      expect(audit(mock, rows)).toEqual({ lost: 0, duplicated: 0 });
      expect(writesTo(mock, rows)).toBe(300);
    });
  }, 120_000);

  test('SIGTERM finishes the calls in flight, flushes the journal, exits 143 resumable; the resume completes', async () => {
    await withItems({ size: 120, count: 120, policy: 'BULK2' }, async (mock, rows, dir, input) => {
      const setup = { pkg, mockUrl: mock.url, name: 'term', dir, input, perSecond: 60 };
      const first = startRun(setup);
      await until(() => writesTo(mock, rows) >= 30);
      first.child.kill('SIGTERM');
      const stopped = await first.done;
      expect(stopped.code).toBe(143);
      expect(stopped.report!.status).toBe('interrupted');
      expect(stopped.report!.summary).toMatch(/resume with: npm run bulk:items/);
      // Nothing in flight was abandoned: every write made is journalled done, so no reconcile is needed.
      expect(stopped.report!.counts.unknown).toBe(0);
      const resumed = await runToEnd(setup);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.report!.counts.reconciled).toBe(0);
      expect(audit(mock, rows)).toEqual({ lost: 0, duplicated: 0 });
    });
  }, 120_000);
});

describe('outcome unknown: the answer to a write is lost after Alma applied it', () => {
  test('without reconcile the items are reported and left alone; with one they are settled, never written twice', async () => {
    const faults = [{ kind: 'reset-after' as const, probability: 1, route: 'replaceBibHoldingItem', times: 3 }];
    await withItems({ size: 20, count: 20, policy: 'BULK3', mock: { faults } }, async (mock, rows, dir, input) => {
      const setup = { pkg, mockUrl: mock.url, name: 'lost', dir, input, perSecond: 200, concurrency: 1 };
      const first = await runToEnd(setup);
      expect(first.code).toBe(1);
      expect(first.report!.counts).toMatchObject({ done: 17, unknown: 3 });
      expect(first.report!.unknownKeys).toEqual(rows.slice(0, 3).map((r) => r.item_pid));
      expect(first.report!.summary).toMatch(/outcome unknown .*reconcile/);

      // Again without reconcile: left alone, not written again.
      const again = await runToEnd(setup);
      expect(again.report!.counts).toMatchObject({ skipped: 17, unknown: 3, done: 0 });
      expect(writesTo(mock, rows)).toBe(20);

      const settled = await runToEnd({ ...setup, reconcile: true });
      expect(settled.code, settled.stderr).toBe(0);
      expect(settled.report!.counts).toMatchObject({ skipped: 17, reconciled: 3, unknown: 0 });
      expect(audit(mock, rows)).toEqual({ lost: 0, duplicated: 0 });
    });
  }, 120_000);
});

describe('the daily limit', () => {
  test('the run pauses resumable (exit 75, the reset time), and the next day it finishes what is left', async () => {
    // 2 calls per item: the budget of 41 calls runs out in the 21st item's first call.
    await withItems(
      { size: 40, count: 40, policy: 'BULK4', mock: { dailyBudget: 41 } },
      async (mock, rows, dir, input) => {
        const setup = { pkg, mockUrl: mock.url, name: 'daily', dir, input, perSecond: 200, concurrency: 1 };
        const first = await runToEnd(setup);
        expect(first.code).toBe(75);
        expect(first.report!.status).toBe('paused');
        expect(first.report!.counts.done).toBe(20);
        const midnight = new Date();
        midnight.setUTCHours(24, 0, 0, 0);
        expect(first.report!.summary).toContain(`resets at ${midnight.toISOString()}`);
        expect(first.report!.summary).toMatch(/resume then with: npm run bulk:items/);

        mock.newDay();
        const second = await runToEnd(setup);
        expect(second.code, second.stderr).toBe(0);
        expect(second.report!.counts).toMatchObject({ skipped: 20, done: 20 });
        expect(audit(mock, rows)).toEqual({ lost: 0, duplicated: 0 });
      },
    );
  }, 120_000);
});

describe('failures', () => {
  test('the failures CSV holds the items with Alma’s error and is the next run’s input', async () => {
    await withItems({ size: 12, count: 12, policy: 'BULK5' }, async (mock, rows, dir) => {
      // Four rows ask for a policy the action refuses; one names an item Alma does not have.
      const asked = rows.map((r, i) => ({ ...r, policy: i % 3 === 0 ? 'NOPE' : r.policy }));
      asked[1] = { ...asked[1]!, item_pid: '23999999999999' };
      const input = writeCsv(path.join(dir, 'items.csv'), asked);
      const setup = { pkg, mockUrl: mock.url, name: 'fails', dir, input, perSecond: 200, refuse: ['NOPE'] };
      const first = await runToEnd(setup);
      expect(first.code).toBe(1);
      expect(first.report!.counts).toMatchObject({ done: 7, failed: 5 });
      const csv = readFileSync(first.report!.failures!, 'utf8');
      expect(csv.split('\r\n')[0]).toBe('mms_id,holding_id,item_pid,policy,alma_error_code,alma_error_message');
      expect(csv).toContain('Error,the policy NOPE is not one this library uses');
      expect(csv).toMatch(/,23999999999999,BULK5,\d{5,}|,23999999999999,BULK5,[A-Z_]+/);

      // The next run takes the CSV as its input, and the refused policy is now allowed.
      const next = await runToEnd({ ...setup, input: first.report!.failures!, refuse: [], retryFailed: true });
      expect(next.report!.counts).toMatchObject({ done: 4, failed: 1 });
      // What still fails is in the CSV again; the items done are not.
      const left = readFileSync(next.report!.failures!, 'utf8').trim().split('\r\n');
      expect(left).toHaveLength(2);
      expect(left[1]).toContain('23999999999999');
    });
  }, 120_000);

  test('a dry run sends no write and writes no journal; it counts what would be written', async () => {
    await withItems({ size: 6, count: 6, policy: 'BULK6' }, async (mock, rows, dir, input) => {
      const dry = await runToEnd({ pkg, mockUrl: mock.url, name: 'dry', dir, input, perSecond: 200, dryRun: true });
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.report!.counts).toMatchObject({ wouldWrite: 6, done: 0 });
      expect(writesTo(mock, rows)).toBe(0);
      expect(existsSync(path.join(dir, 'dry.journal.jsonl'))).toBe(false);
    });
  }, 60_000);
});
