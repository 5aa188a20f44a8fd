import type { JsonValue } from '../operation.js';
import type { ItemState } from './journal.js';
import { type FsLike, joinPath, type ProcessLike } from './platform.js';
import { type BulkCounts, duration, fmt, type Progress } from './progress.js';

/** How a run ended, and the exit code to end the process with (`process.exitCode = report.exitCode`). */
export interface BulkReport {
  name: string;
  /**
   * `completed`: every item was handled (some may have failed); `stopped`: too many failures in a row; `paused`: at the
   * daily limit (`resetAt`); `interrupted`: by a signal or `signal`.
   */
  status: 'completed' | 'stopped' | 'paused' | 'interrupted';
  /** 0 all done; 1 completed with failures or unknown outcomes; 2 stopped; 75 paused; 130 SIGINT; 143 SIGTERM. */
  exitCode: number;
  counts: BulkCounts;
  journal: string;
  /** The failures CSV, when items are failed. */
  failures: string | undefined;
  /** Items whose outcome is unknown and that no `reconcile` settled. */
  unknownKeys: string[];
  resetAt: Date | undefined;
  elapsedMs: number;
  summary: string;
}

export const EXIT_CODES = { done: 0, failures: 1, stopped: 2, paused: 75, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * SIGINT and SIGTERM while a run works: the first calls `onFirst` (finish what is in hand, end resumable), a second
 * quits at once (the journal is safe either way). Returns what undoes it; `enabled: false` traps nothing.
 */
export function trapSignals(
  process: ProcessLike,
  enabled: boolean,
  onFirst: (name: 'SIGINT' | 'SIGTERM') => void,
): () => void {
  if (!enabled) return () => undefined;
  let received = false;
  const listener = (name: 'SIGINT' | 'SIGTERM') => () => {
    if (received) process.exit(EXIT_CODES[name]);
    received = true;
    onFirst(name);
  };
  const listeners = { SIGINT: listener('SIGINT'), SIGTERM: listener('SIGTERM') };
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.on(name, listeners[name]);
  return () => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.off(name, listeners[name]);
  };
}

/** The columns the failures CSV adds to an item's own: why Alma refused it. */
export const FAILURE_COLUMNS = ['alma_error_code', 'alma_error_message'] as const;

/**
 * Writes the items that are failed now (in this run or an earlier one, not done since) as a CSV that can be the next
 * run's input: an object item keeps its own columns (nested values as JSON), any other item is one column `key`;
 * then Alma's code and message. Written beside and renamed into place, so a reader never sees half a file; with no
 * failures left, an earlier file is removed (it would redo what is done). Returns its path, or undefined.
 */
export async function writeFailures(
  fs: FsLike,
  path: string,
  states: Map<string, ItemState>,
): Promise<string | undefined> {
  const failed = [...states.entries()].filter(([, s]) => s.state === 'failed');
  if (failed.length === 0) {
    await fs.rm(path, { force: true });
    return undefined;
  }
  const rows = failed.map(([key, s]) => ({ item: flatItem(key, s.last.item), error: s.last.error }));
  const columns: string[] = [];
  for (const { item } of rows)
    for (const column of Object.keys(item)) if (!columns.includes(column)) columns.push(column);
  const header = [...columns, ...FAILURE_COLUMNS];
  const lines = [header.map(csvField).join(',')];
  for (const { item, error } of rows)
    lines.push([...columns.map((c) => item[c] ?? ''), error?.code ?? '', error?.message ?? ''].map(csvField).join(','));
  const temporary = `${path}.${Date.now()}.tmp`;
  await fs.writeFile(temporary, `${lines.join('\r\n')}\r\n`, 'utf8');
  await fs.rename(temporary, path);
  return path;
}

function flatItem(key: string, item: JsonValue | undefined): Record<string, string> {
  if (item === null || item === undefined || typeof item !== 'object' || Array.isArray(item)) return { key };
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value),
    ]),
  );
}

/**
 * A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. Writing CSV is this one rule,
 * so no library is loaded for it (reading is csv-parse's: see `csvRows`).
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Where a run's files go: `<dir>/<name>.journal.jsonl` and `<dir>/<name>.failures.csv`. */
export function runFiles(dir: string, name: string): { journal: string; failures: string } {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return { journal: joinPath(dir, `${safe}.journal.jsonl`), failures: joinPath(dir, `${safe}.failures.csv`) };
}

/** The closing lines of a run: what ended how, and what to do next. */
export function summaryText(input: {
  name: string;
  status: string;
  counts: BulkCounts;
  elapsedMs: number;
  journal: string;
  failures: string | undefined;
  unknownKeys: string[];
  next: string | undefined;
}): string {
  const c = input.counts;
  const lines = [
    `bulk ${input.name}: ${input.status} in ${duration(input.elapsedMs / 1000)}: ` +
      [
        `done ${fmt(c.done)}`,
        ...(c.reconciled ? [`reconciled ${fmt(c.reconciled)}`] : []),
        `skipped ${fmt(c.skipped)} (done earlier)`,
        `failed ${fmt(c.failed)}`,
        `unknown ${fmt(c.unknown)}`,
        ...(c.wouldWrite ? [`would write ${fmt(c.wouldWrite)}`] : []),
      ].join(', '),
    `  journal: ${input.journal}`,
  ];
  if (input.failures) lines.push(`  failures: ${input.failures} (feed it back as the next run's input)`);
  if (input.unknownKeys.length > 0)
    lines.push(
      `  outcome unknown (a write was sent and its answer lost; left alone, give the run a reconcile function to settle them): ` +
        `${input.unknownKeys.slice(0, 10).join(', ')}${input.unknownKeys.length > 10 ? `, … (${input.unknownKeys.length})` : ''}`,
    );
  if (input.next) lines.push(`  ${input.next}`);
  return lines.join('\n');
}

/**
 * How a run (or one process of it) ends: its exit code (from its status, its counts and the signal that stopped it),
 * its summary printed, its `end` event, its report.
 */
export function finishRun(input: {
  name: string;
  status: BulkReport['status'];
  signal?: 'SIGINT' | 'SIGTERM' | undefined;
  counts: BulkCounts;
  startedAt: number;
  journal: string;
  failures: string | undefined;
  unknownKeys: string[];
  resetAt: Date | undefined;
  next: string | undefined;
  progress: Progress;
}): BulkReport {
  const { name, status, counts, journal, failures, unknownKeys, resetAt, next, progress } = input;
  const exitCode = {
    completed: counts.failed + counts.unknown > 0 ? EXIT_CODES.failures : EXIT_CODES.done,
    stopped: EXIT_CODES.stopped,
    paused: EXIT_CODES.paused,
    interrupted: EXIT_CODES[input.signal ?? 'SIGINT'],
  }[status];
  const elapsedMs = Date.now() - input.startedAt;
  const summary = summaryText({ name, status, counts, elapsedMs, journal, failures, unknownKeys, next });
  progress.end({ type: 'end', status, exitCode, counts, journal, ...(failures ? { failures } : {}) }, summary);
  return { name, status, exitCode, counts, journal, failures, unknownKeys, resetAt, elapsedMs, summary };
}
