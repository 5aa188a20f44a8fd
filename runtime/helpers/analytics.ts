import type { AlmaClient } from '../client.js';
import { AlmaAbortError, AlmaApiError, AlmaError } from '../errors.js';
import { sleep } from '../internal/sleep.js';
import type { CallOptions } from '../operation.js';

/** `getAnalyticsReport(client, { path, filter, limit, colNames, token }, options)`. */
type ReportFunction<P> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<{ anies?: string[] | null }>;
type ReportParams = { path?: string; filter?: string; limit?: number; colNames?: string; token?: string };

export interface AnalyticsOptions extends CallOptions {
  /** Rows per call: 25 to 1,000 in steps of 25. Default 1,000 (fewest calls). */
  pageSize?: number;
  /** How many "still loading" answers (no rows, not finished) in a row to wait through. Default 10. */
  stillLoadingRetries?: number;
  /** The wait before asking again. Default 2,000 ms. */
  stillLoadingDelayMs?: number;
}

/** One row of a report: the column's heading (from the first page) → the cell's text; empty cells are absent. */
export type AnalyticsRow = Record<string, string>;

export interface AnalyticsPage {
  /** Every column's heading, in order; a heading given twice gets its column name added. */
  headings: string[];
  rows: AnalyticsRow[];
}

/** Alma's "no more rows to fetch" for a resumption token. */
const NO_MORE_ROWS = '420033';

/**
 * The pages of an Analytics report, fetched as they are consumed: the first call sends the path (and filter) and
 * asks for the column headings; the next ones send the resumption token. A page with no rows that is not finished is
 * Alma still running the report: it is asked again after a pause. Ends on `IsFinished` or on code 420033.
 *
 * ```ts
 * for await (const row of analyticsRows(getAnalyticsReport, alma, { path: '/shared/Inst/Reports/Loans' })) …
 * ```
 */
export async function* analyticsPages<P extends ReportParams>(
  report: ReportFunction<P>,
  client: AlmaClient,
  params: P,
  options: AnalyticsOptions = {},
): AsyncGenerator<AnalyticsPage, void, undefined> {
  const { pageSize = 1000, stillLoadingRetries = 10, stillLoadingDelayMs = 2000, ...callOptions } = options;
  if (!Number.isInteger(pageSize) || pageSize < 25 || pageSize > 1000 || pageSize % 25 !== 0)
    throw new RangeError(`pageSize must be 25 to 1000 in steps of 25, got ${pageSize}`);
  const { readQueryResult } = await import('../internal/query-result.js');
  let token: string | undefined;
  let headings: [string, string][] | undefined;
  for (let loading = 0; ; ) {
    let answer: { anies?: string[] | null };
    try {
      answer = await report(
        client,
        { ...params, limit: pageSize, ...(token ? { token } : { colNames: 'true' }) },
        callOptions,
      );
    } catch (error) {
      if (token && error instanceof AlmaApiError && error.code === NO_MORE_ROWS) return;
      throw error;
    }
    const xml = answer.anies?.[0];
    if (!xml) throw new AlmaError(`the report ${params.path ?? ''} answered without a QueryResult`);
    const page = readQueryResult(xml);
    token ??= page.token;
    headings ??= page.headings;
    if (page.rows.length === 0 && !page.finished) {
      if (++loading > stillLoadingRetries)
        throw new AlmaError(
          `the report ${params.path ?? ''} was still loading after ${stillLoadingRetries} tries ` +
            `${stillLoadingDelayMs} ms apart`,
        );
      await sleep(
        stillLoadingDelayMs,
        options.signal,
        () => new AlmaAbortError('analyticsRows', 'GET', '/almaws/v1/analytics/reports'),
      );
      continue;
    }
    loading = 0;
    const names = columnNames(headings);
    yield {
      headings: [...names.values()],
      rows: page.rows.map((cells) =>
        Object.fromEntries(cells.map(([column, value]) => [names.get(column) ?? column, value])),
      ),
    };
    if (page.finished) return;
    if (!token) throw new AlmaError(`the report ${params.path ?? ''} is not finished but gave no resumption token`);
  }
}

/** Every row of an Analytics report, across pages (see `analyticsPages`). */
export async function* analyticsRows<P extends ReportParams>(
  report: ReportFunction<P>,
  client: AlmaClient,
  params: P,
  options: AnalyticsOptions = {},
): AsyncGenerator<AnalyticsRow, void, undefined> {
  for await (const page of analyticsPages(report, client, params, options)) yield* page.rows;
}

/** Column element name → the key its cells get: the heading, made unique. */
function columnNames(headings: [string, string][] | undefined): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const [column, heading] of headings ?? []) {
    const name = taken.has(heading) ? `${heading} (${column})` : heading;
    taken.add(name);
    names.set(column, name);
  }
  return names;
}
