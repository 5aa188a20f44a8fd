import type { JsonObject } from '../runtime/xml/codec.js';
import { escapeXmlText } from '../runtime/xml/index.js';
import { notFoundOutcome, type Call, type Outcome } from './outcomes.js';
import type { MockStore } from './store.js';
import type { Operation } from '../generator/ir/model.js';
import { withRole } from '../generator/ir/roles.js';

/** Settings of the behaviours that go beyond CRUD (see `MockOptions.jobs` and `MockOptions.analytics`). */
export interface BehaviourSettings {
  jobPolls: number;
  jobOutcomes: Record<string, string>;
  analyticsRows: number;
  analyticsLoadingPolls: number;
}

/**
 * The operations whose answers depend on more than the stored records: running a job (an instance that moves from
 * queued to a final status as it is read) and Analytics reports (a resumption token, headings on the first page,
 * "still loading" pages, code 420033 past the end). Returns `undefined` for every other call.
 */
export function behaviours(store: MockStore, settings: BehaviourSettings, operations: readonly Operation[]) {
  const instancePath = withRole(operations, 'job-instance')?.path;
  const instanceReads = new Map<string, number>();
  const reports = new Map<string, { path: string; offset: number; loading: number; finished: boolean }>();
  let tokens = 0;

  function runJob(call: Call, baseUrl: string): Outcome | undefined {
    const [jobId = ''] = call.params;
    const job = store.get(collectionOf(call.route.operation.path, call.params), jobId);
    if (!job) return notFoundOutcome(call.route, jobId, call.query);
    if (call.query.get('op') !== 'run')
      return {
        status: 400,
        error: {
          code: call.route.invalidCode,
          message: `Unsupported op "${call.query.get('op')}": only op=run is supported.`,
        },
      };
    // Without an operation that reads instances, a run is an action like any other.
    if (!instancePath) return undefined;
    const submitted = new Date().toISOString();
    const instance = store.insert(collectionOf(instancePath, [jobId]), {
      name: job.name ?? jobId,
      submitted_by: { value: 'api', desc: 'API' },
      submit_time: submitted,
      progress: 0,
      status: { value: 'QUEUED', desc: 'Queued' },
    });
    const link = `${baseUrl}${fill(instancePath, [jobId, String(instance.id)])}`;
    return {
      status: 200,
      body: {
        ...structuredClone(job),
        additional_info: { value: `Job no. ${String(instance.id)} triggered on ${submitted}`, link },
      },
    };
  }

  /** Every read moves the instance on: running with progress, then its final status after `jobPolls` reads. */
  function readInstance(call: Call): void {
    const [jobId = '', instanceId = ''] = call.params;
    const instance = store.get(collectionOf(call.route.operation.path, call.params), instanceId);
    if (!instance) return;
    const key = `${jobId}/${instanceId}`;
    const reads = (instanceReads.get(key) ?? 0) + 1;
    instanceReads.set(key, reads);
    if (reads < settings.jobPolls) {
      instance.status = { value: 'RUNNING', desc: 'Running' };
      instance.progress = Math.floor((100 * reads) / settings.jobPolls);
      instance.start_time ??= new Date().toISOString();
      return;
    }
    const final = settings.jobOutcomes[jobId] ?? 'COMPLETED_SUCCESS';
    instance.status = { value: final, desc: final.replace(/_/g, ' ').toLowerCase() };
    instance.progress = 100;
    instance.end_time ??= new Date().toISOString();
  }

  function report(call: Call): Outcome {
    const limit = Number(call.query.get('limit') ?? 25);
    if (!Number.isInteger(limit) || limit < 25 || limit > 1000 || limit % 25 !== 0)
      return {
        status: 400,
        error: {
          code: call.route.invalidCode,
          message: `limit must be 25 to 1000 in steps of 25, got ${call.query.get('limit')}`,
        },
      };
    const token = call.query.get('token');
    if (token) {
      const state = reports.get(token);
      if (!state || state.finished || state.offset >= settings.analyticsRows) {
        if (state) state.finished = true;
        return { status: 400, error: { code: '420033', message: 'No more rows to fetch' } };
      }
      return page(state, limit, undefined, false);
    }
    const path = call.query.get('path');
    if (!path)
      return { status: 400, error: { code: call.route.invalidCode, message: 'Mandatory parameter path is missing.' } };
    const newToken = `MOCKTOKEN${String(++tokens).padStart(8, '0')}`;
    const state = { path, offset: 0, loading: settings.analyticsLoadingPolls, finished: false };
    reports.set(newToken, state);
    return page(state, limit, newToken, call.query.get('col_names') !== 'false');
  }

  function page(
    state: { offset: number; loading: number; finished: boolean },
    limit: number,
    token: string | undefined,
    headings: boolean,
  ): Outcome {
    if (state.loading > 0) {
      state.loading--;
      return { status: 200, body: queryResult(token, false, headings, []) };
    }
    const rows = Array.from(
      { length: Math.max(0, Math.min(limit, settings.analyticsRows - state.offset)) },
      (_, i) => state.offset + i + 1,
    );
    state.offset += rows.length;
    // Like Alma, a full page does not know it was the last: the next call gets code 420033.
    state.finished = rows.length < limit;
    return { status: 200, body: queryResult(token, state.finished, headings, rows) };
  }

  return (call: Call, baseUrl: string): Outcome | undefined => {
    switch (call.route.operation.role.kind) {
      case 'job-run':
        return runJob(call, baseUrl);
      case 'job-instance':
        readInstance(call);
        return undefined;
      case 'analytics-report':
        return report(call);
      default:
        return undefined;
    }
  };
}

/** A path template with its parameters filled in order: `/jobs/{job_id}` with `[M1]` → `/jobs/M1` (a URL's: encoded). */
function fill(
  template: string,
  params: readonly string[],
  encode: (value: string) => string = encodeURIComponent,
): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encode(params[i++] ?? ''));
}

/** The collection a record's path template is in, as the store keys it (decoded): `/jobs/{job_id}/instances/{id}` → `/jobs/M1/instances`. */
function collectionOf(recordTemplate: string, params: readonly string[]): string {
  return fill(recordTemplate.replace(/\/\{[^}]+\}\/?$/, ''), params, (value: string) => value);
}

const COLUMNS: [column: string, heading: string, type: string][] = [
  ['Column0', '0', 'integer'],
  ['Column1', 'Title', 'varchar'],
  ['Column2', 'MMS Id', 'varchar'],
  ['Column3', 'Loans', 'integer'],
];

/** A report page as Alma sends it: the `QueryResult` document, inside `anies` (JSON) or `<report>` (XML). */
function queryResult(token: string | undefined, finished: boolean, headings: boolean, rows: number[]): JsonObject {
  const schema = headings
    ? `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:saw-sql="urn:saw-sql" targetNamespace="urn:schemas-microsoft-com:xml-analysis:rowset"><xsd:complexType name="Row"><xsd:sequence>${COLUMNS.map(([name, heading, type]) => `<xsd:element maxOccurs="1" minOccurs="0" name="${name}" saw-sql:columnHeading="${escapeXmlText(heading)}" saw-sql:type="${type}" type="xsd:${type === 'integer' ? 'int' : 'string'}"/>`).join('')}</xsd:sequence></xsd:complexType></xsd:schema>`
    : '';
  // Every seventh row has no MMS Id: Alma leaves empty cells out.
  const cells = (n: number) =>
    [
      ['Column0', '0'],
      ['Column1', `Title & subtitle ${n}`],
      ['Column2', n % 7 === 0 ? '' : `99${String(n).padStart(13, '0')}3811`],
      ['Column3', String((n * 37) % 50)],
    ].filter(([, v]) => v !== '');
  const rowXml = rows
    .map(
      (n) =>
        `<Row>${cells(n)
          .map(([c, v]) => `<${c}>${escapeXmlText(v!)}</${c}>`)
          .join('')}</Row>`,
    )
    .join('');
  const xml = `<QueryResult>${token ? `<ResumptionToken>${token}</ResumptionToken>` : ''}<IsFinished>${finished}</IsFinished><ResultXml><rowset xmlns="urn:schemas-microsoft-com:xml-analysis:rowset">${schema}${rowXml}</rowset></ResultXml></QueryResult>`;
  return { anies: [xml] };
}
