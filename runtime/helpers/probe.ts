import type { AlmaClient } from '../client.js';
import { AlmaAuthError } from '../errors.js';
import type { OperationSpec } from '../operation.js';

/** An area's `test` operations (`GET` and `POST …/test`): Alma offers them to check a key, and they change nothing. */
export interface AreaTests {
  area: string;
  read?: OperationSpec;
  write?: OperationSpec;
}

/** What a key may do in one area. */
export interface AreaAccess {
  area: string;
  access: 'read-write' | 'read-only' | 'none' | 'unknown';
  /** Why `unknown` (an error other than Alma's refusal of the key). */
  note?: string;
}

export interface AccessReport {
  /** `sandbox` or `production`, and the institution, as `/conf/general` says (absent when the key cannot read it). */
  environment?: string;
  institution?: string;
  areas: AreaAccess[];
}

/**
 * What the client's key may do, area by area, with at most two calls an area (the `test` operations: a `GET`, and a
 * `POST` only when the `GET` passed), plus one for the environment and institution. Alma refuses a key that is not
 * configured for an area or a method with `UNAUTHORIZED` (an `AlmaAuthError`); any other failure is `unknown`, with
 * its message. Every call goes through the limiter.
 */
export async function probeAccess(client: AlmaClient, tests: readonly AreaTests[]): Promise<AccessReport> {
  const areas: AreaAccess[] = [];
  for (const { area, read, write } of tests) {
    const readOutcome = read ? await attempt(client, read) : 'none';
    if (readOutcome !== 'ok') {
      areas.push({ area, ...(readOutcome === 'none' ? { access: 'none' } : { access: 'unknown', note: readOutcome }) });
      continue;
    }
    const writeOutcome = write ? await attempt(client, write) : 'none';
    if (writeOutcome === 'ok') areas.push({ area, access: 'read-write' });
    else if (writeOutcome === 'none') areas.push({ area, access: 'read-only' });
    else areas.push({ area, access: 'read-only', note: writeOutcome });
  }
  const environment = await client.environment().catch(() => undefined);
  return {
    ...(environment ? { environment: environment.type, institution: environment.institution } : {}),
    areas,
  };
}

/** `ok`, `none` (Alma refused the key), or what else went wrong. */
async function attempt(client: AlmaClient, operation: OperationSpec): Promise<string> {
  try {
    await client.request(operation, operation.method === 'GET' ? {} : { body: undefined });
    return 'ok';
  } catch (error) {
    if (error instanceof AlmaAuthError) return 'none';
    return error instanceof Error ? error.message : String(error);
  }
}

/** The report as a table, for a terminal. */
export function formatAccessReport(report: AccessReport): string {
  const width = Math.max(4, ...report.areas.map((a) => a.area.length));
  const lines = [
    `environment: ${report.environment ?? 'unknown (the key cannot read /conf/general)'}`,
    `institution: ${report.institution ?? 'unknown'}`,
    '',
    `${'area'.padEnd(width)}  access`,
    ...report.areas.map((a) => `${a.area.padEnd(width)}  ${a.access}${a.note ? `  (${a.note})` : ''}`),
  ];
  return lines.join('\n');
}
