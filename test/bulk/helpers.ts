import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MockServer } from '../../mock/index.js';
import type { BulkCounts } from '../../runtime/bulk/index.js';
import type { BulkSetup } from '../fixtures/bulk-items.js';
import { REPO } from '../helpers/specs.js';

export const SCRIPT = path.join(REPO, 'test/fixtures/bulk-items.ts');

/** The seeded items' CSV rows (mms_id, holding_id, item_pid, policy), the first `count`, each to get `policy`. */
export function itemRows(mock: MockServer, count: number, policy: string) {
  const rows: { mms_id: string; holding_id: string; item_pid: string; policy: string }[] = [];
  for (const bib of mock.store.all('/almaws/v1/bibs')) {
    for (const holding of mock.store.all(`/almaws/v1/bibs/${bib.mms_id}/holdings`)) {
      for (const item of mock.store.all(`/almaws/v1/bibs/${bib.mms_id}/holdings/${holding.holding_id}/items`)) {
        const pid = String((item.item_data as { pid: string }).pid);
        rows.push({ mms_id: String(bib.mms_id), holding_id: String(holding.holding_id), item_pid: pid, policy });
        if (rows.length === count) return rows;
      }
    }
  }
  return rows;
}

export function writeCsv(file: string, rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0]!);
  writeFileSync(file, `${[columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n')}\n`);
  return file;
}

export const itemPath = (row: { mms_id: string; holding_id: string; item_pid: string }) =>
  `/almaws/v1/bibs/${row.mms_id}/holdings/${row.holding_id}/items/${row.item_pid}`;

/** How the items stand at the mock: not set to their policy (lost), and written more than once (duplicated). */
export function audit(mock: MockServer, rows: ReturnType<typeof itemRows>) {
  let lost = 0;
  let duplicated = 0;
  for (const row of rows) {
    const [item] = mock.store
      .all(`/almaws/v1/bibs/${row.mms_id}/holdings/${row.holding_id}/items`)
      .filter((i) => (i.item_data as { pid: string }).pid === row.item_pid);
    if ((item?.item_data as { policy?: { value?: string } } | undefined)?.policy?.value !== row.policy) lost++;
    if ((mock.writes.get(itemPath(row)) ?? 0) > 1) duplicated++;
  }
  return { lost, duplicated };
}

/** The writes the mock applied to these items in all. */
export const writesTo = (mock: MockServer, rows: ReturnType<typeof itemRows>) =>
  rows.reduce((sum, row) => sum + (mock.writes.get(itemPath(row)) ?? 0), 0);

export interface Finished {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  report:
    | {
        status: string;
        exitCode: number;
        counts: BulkCounts;
        unknownKeys: string[];
        failures?: string;
        summary: string;
      }
    | undefined;
}

/** Starts one process of the run; `done` resolves when it exits. */
export function startRun(setup: BulkSetup): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: REPO,
    env: { ...process.env, BULK_SETUP: JSON.stringify(setup) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Finished>((resolve) =>
    child.once('exit', (code, signal) => {
      const line = /^REPORT (.*)$/m.exec(stdout)?.[1];
      resolve({ code, signal, stdout, stderr, report: line ? JSON.parse(line) : undefined });
    }),
  );
  return { child, done };
}

export const runToEnd = (setup: BulkSetup) => startRun(setup).done;

/** Resolves once `check` holds (polled every 20 ms), or rejects after `ms`. */
export async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
