import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { createClient } from '../../runtime/client.js';
import { AlmaDailyLimitError } from '../../runtime/errors.js';
import { csvRows, runBulk } from '../../runtime/bulk/index.js';
import { optionalPeer } from '../../runtime/bulk/platform.js';

/** The runner's own decisions, with actions that call no one (the e2e tests call the mock). */
const client = createClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });
const base = () => ({
  client,
  key: (n: number) => String(n),
  journal: { dir: mkdtempSync(path.join(tmpdir(), 'bulk-')) },
  progress: 'none' as const,
  handleSignals: false,
});

describe('the runner', () => {
  test('stops after N failures in a row, and says the last one', async () => {
    const action = vi.fn(async () => {
      throw new Error('wrong field');
    });
    const report = await runBulk({
      ...base(),
      name: 'stop',
      items: [1, 2, 3, 4, 5, 6, 7, 8],
      action,
      stopAfterFailures: 3,
      concurrency: 1,
    });
    expect(report).toMatchObject({ status: 'stopped', exitCode: 2 });
    expect(action).toHaveBeenCalledTimes(3);
    expect(report.summary).toContain('stopped after 3 failures in a row (the last: Error: wrong field)');
  });

  test('a key that appears twice in the input is done once', async () => {
    const action = vi.fn(async () => 'ok');
    const report = await runBulk({ ...base(), name: 'twice', items: [1, 2, 1, 3], action });
    expect(action).toHaveBeenCalledTimes(3);
    expect(report.counts.done).toBe(3);
  });

  test('onDailyLimit wait: the run sleeps until the reset and goes on with the item that was refused', async () => {
    // A refusal whose reset is already a minute past: the wait is over at once, and the item is done again.
    const now = new Date();
    const justAfterReset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 61_000);
    let refused = false;
    const action = vi.fn(async (n: number) => {
      if (n === 2 && !refused) {
        refused = true;
        throw new AlmaDailyLimitError(
          {
            status: 429,
            errors: [{ code: 'DAILY_THRESHOLD', message: 'spent' }],
            operation: 'o',
            method: 'GET',
            url: 'u',
          },
          justAfterReset,
        );
      }
      return n;
    });
    const notices: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      notices.push(String(text));
      return true;
    });
    try {
      const report = await runBulk({
        ...base(),
        name: 'wait',
        items: [1, 2, 3],
        action,
        onDailyLimit: 'wait',
        progress: 'lines',
        concurrency: 1,
      });
      expect(report).toMatchObject({ status: 'completed', exitCode: 0, counts: { done: 3 } });
    } finally {
      spy.mockRestore();
    }
    expect(action.mock.calls.map(([n]) => n)).toEqual([1, 2, 2, 3]);
    expect(notices.join('')).toMatch(/Alma's daily budget is spent; waiting until it resets at/);
  });

  test('an abort signal ends the run as interrupted, resumable', async () => {
    const controller = new AbortController();
    const action = async (n: number) => {
      if (n === 3) controller.abort();
      return n;
    };
    const report = await runBulk({
      ...base(),
      name: 'abort',
      items: [1, 2, 3, 4, 5, 6],
      action,
      signal: controller.signal,
      concurrency: 1,
    });
    expect(report).toMatchObject({ status: 'interrupted', exitCode: 130, counts: { done: 3 } });
  });

  test("progress 'json': one event per item and the end, as JSON lines on stdout", async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      out.push(String(text));
      return true;
    });
    try {
      await runBulk({
        ...base(),
        name: 'json',
        items: [1, 2],
        action: async (n: number) => {
          if (n === 2) throw new Error('no');
          return n;
        },
        progress: 'json',
        concurrency: 1,
      });
    } finally {
      spy.mockRestore();
    }
    const events = out
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.slice(0, 2)).toEqual([
      { type: 'item', key: '1', outcome: 'done' },
      { type: 'item', key: '2', outcome: 'failed', code: 'Error', message: 'no' },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'end',
      status: 'completed',
      exitCode: 1,
      counts: { done: 1, failed: 1 },
    });
    expect(events.at(-1).failures).toMatch(/json\.failures\.csv$/);
  });

  test('an optional package that is not installed is named, with the command that installs it', async () => {
    await expect(optionalPeer('alma-codegen-no-such-package', 'a bulk run on several machines')).rejects.toThrow(
      'a bulk run on several machines needs the package alma-codegen-no-such-package, which is not installed: npm install alma-codegen-no-such-package',
    );
  });

  test('an item without a key stops the run before anything is sent for it, with the item named', async () => {
    const action = vi.fn(async (n: number) => n);
    await expect(
      runBulk({
        ...base(),
        name: 'nokey',
        items: [1, 2, 3],
        key: (n: number) => (n === 2 ? '' : String(n)),
        action,
        concurrency: 1,
      }),
    ).rejects.toThrow('the key of item 2 is "": the run\'s key function must give each item a non-empty string');
    expect(action.mock.calls.map(([n]) => n)).toEqual([1]);
  });

  test('a malformed CSV stops the run naming the file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'csv-'));
    const file = path.join(dir, 'items.csv');
    writeFileSync(file, 'id,policy\n1,A\n2,"B\n3,C\n');
    const action = vi.fn(async (row: Record<string, string>) => row.id);
    await expect(
      runBulk({
        ...base(),
        name: 'badcsv',
        items: csvRows(file),
        key: (row: Record<string, string>) => row.id!,
        action,
      }),
    ).rejects.toThrow(
      new RegExp(`the CSV file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line \\d+ cannot be read`),
    );
  });
});
