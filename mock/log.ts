/** One request as the mock saw it. Keys are never recorded: only how the key came (`keyMode`). */
export interface LogEntry {
  /** When the request arrived, ms since the epoch. */
  time: number;
  method: string;
  /** The path, without the query (which may hold the key). */
  path: string;
  keyMode: 'header' | 'query' | 'none';
  /** The status sent; 0 when the connection was reset instead. */
  status: number;
  institution: string;
  /** The fault injected, if any. */
  fault?: string;
}

/** The request log tests read: every request in arrival order, and counts per sliding second. */
export class RequestLog {
  readonly entries: LogEntry[] = [];

  /** A long-running mock keeps the most recent `limit` entries. */
  constructor(private readonly limit = 200_000) {}

  add(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /**
   * The most requests that arrived within any one-second window (sliding, not per calendar second), counting only
   * those `filter` keeps: by default every request that was not refused with 429.
   */
  maxPerSecond(filter: (entry: LogEntry) => boolean = (e) => e.status !== 429): number {
    const times = this.entries
      .filter(filter)
      .map((e) => e.time)
      .sort((a, b) => a - b);
    let max = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }
}
