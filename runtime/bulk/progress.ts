import type { ProcessLike } from './platform.js';

/** How far a run is: each item counted once, by how it ended in this run (`skipped`: done by an earlier one). */
export interface BulkCounts {
  done: number;
  /** Found done by `reconcile` after an unknown outcome. */
  reconciled: number;
  skipped: number;
  failed: number;
  unknown: number;
  /** A dry run: items whose action would have written. */
  wouldWrite: number;
}

export const noCounts = (): BulkCounts => ({
  done: 0,
  reconciled: 0,
  skipped: 0,
  failed: 0,
  unknown: 0,
  wouldWrite: 0,
});

/** Events of `progress: 'json'`, one JSON object per line on stdout. */
export type BulkEvent =
  | { type: 'item'; key: string; outcome: keyof BulkCounts; code?: string; message?: string }
  | ({ type: 'progress'; total: number | undefined; perSecond: number; etaSeconds: number | undefined } & BulkCounts)
  | { type: 'notice'; message: string }
  | { type: 'end'; status: string; exitCode: number; counts: BulkCounts; journal: string; failures?: string };

/**
 * `bar`: one line redrawn on a terminal (stderr), with rate, ETA and counts; `lines`: a plain line every 10 s (logs,
 * CI); `json`: `BulkEvent`s on stdout; `none`: nothing; `auto`: a bar on a terminal, lines otherwise.
 */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'json' | 'none';

const BAR_EVERY_MS = 250;
const LINE_EVERY_MS = 10_000;
const JSON_EVERY_MS = 1_000;

export class Progress {
  private readonly mode: Exclude<ProgressMode, 'auto'>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private activeMs = 0;
  private activeSince: number | undefined;

  constructor(
    mode: ProgressMode,
    private readonly name: string,
    private readonly total: number | undefined,
    private readonly counts: BulkCounts,
    private readonly process: ProcessLike,
  ) {
    this.mode = mode === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : mode;
  }

  start(): void {
    this.activeSince = Date.now();
    if (this.mode === 'none' || this.timer) return;
    const every = this.mode === 'bar' ? BAR_EVERY_MS : this.mode === 'json' ? JSON_EVERY_MS : LINE_EVERY_MS;
    this.timer = setInterval(() => this.show(), every);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Stops the clock (a pause at the daily limit does not count against the rate). */
  stop(): void {
    if (this.activeSince !== undefined) this.activeMs += Date.now() - this.activeSince;
    this.activeSince = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === 'bar') this.process.stderr.write('\r\x1b[K');
  }

  item(event: Extract<BulkEvent, { type: 'item' }>): void {
    if (this.mode === 'json') this.json(event);
  }

  /** Something the user must read (a pause, a dropped journal line): on its own line in every mode but `none`. */
  notice(message: string): void {
    if (this.mode === 'none') return;
    if (this.mode === 'json') {
      this.json({ type: 'notice', message });
      return;
    }
    if (this.mode === 'bar') this.process.stderr.write('\r\x1b[K');
    this.process.stderr.write(`${message}\n`);
  }

  end(event: Extract<BulkEvent, { type: 'end' }>, summary: string): void {
    this.stop();
    if (this.mode === 'json') this.json(event);
    else if (this.mode !== 'none') this.process.stderr.write(`${summary}\n`);
  }

  /** Items finished per second of active time in this run. */
  rate(): number {
    const ms = this.activeMs + (this.activeSince !== undefined ? Date.now() - this.activeSince : 0);
    const c = this.counts;
    const finished = c.done + c.reconciled + c.failed + c.unknown + c.wouldWrite;
    return ms > 0 ? (finished * 1000) / ms : 0;
  }

  private show(): void {
    const c = this.counts;
    const perSecond = this.rate();
    const seen = c.done + c.reconciled + c.skipped + c.failed + c.unknown + c.wouldWrite;
    const left = this.total !== undefined ? Math.max(0, this.total - seen) : undefined;
    const etaSeconds = left !== undefined && perSecond > 0 ? Math.round(left / perSecond) : undefined;
    if (this.mode === 'json') {
      this.json({ type: 'progress', total: this.total, perSecond, etaSeconds, ...c });
      return;
    }
    const parts = [
      this.total !== undefined
        ? `${fmt(seen)}/${fmt(this.total)} (${Math.floor((seen / Math.max(1, this.total)) * 100)}%)`
        : `${fmt(seen)} items`,
      `${perSecond.toFixed(1)}/s`,
      ...(etaSeconds !== undefined ? [`ETA ${duration(etaSeconds)}`] : []),
      `done ${fmt(c.done + c.reconciled)} · failed ${fmt(c.failed)} · skipped ${fmt(c.skipped)} · unknown ${fmt(c.unknown)}`,
    ];
    if (this.mode === 'lines') {
      this.process.stderr.write(`bulk ${this.name}: ${parts.join(' · ')}\n`);
      return;
    }
    const width = 20;
    const filled = this.total ? Math.round((seen / this.total) * width) : 0;
    const bar = this.total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const line = `${bar}${parts.join('  ')}`;
    const columns = this.process.stderr.columns ?? 120;
    this.process.stderr.write(`\r\x1b[K${line.slice(0, columns - 1)}`);
  }

  private json(event: BulkEvent): void {
    this.process.stdout.write(`${JSON.stringify(event)}\n`);
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** `3h12m`, `4m05s`, `42s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
