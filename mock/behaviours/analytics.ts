import type { JsonObject } from '../../runtime/xml/codec.js';
import { escapeXmlText } from '../../runtime/xml/index.js';
import type { BehaviourSettings } from './index.js';
import type { Call, Outcome } from '../outcomes.js';

/**
 * Analytics reports as Alma pages them: a resumption token, headings on the first page, "still loading" pages first
 * (`analyticsLoadingPolls`), `analyticsRows` rows in all, and code 420033 for a page past the end.
 */
export class AnalyticsReports {
  private readonly reports = new Map<string, { path: string; offset: number; loading: number; finished: boolean }>();
  private tokens = 0;

  constructor(private readonly settings: BehaviourSettings) {}

  report(call: Call): Outcome {
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
      const state = this.reports.get(token);
      if (!state || state.finished || state.offset >= this.settings.analyticsRows) {
        if (state) state.finished = true;
        return { status: 400, error: { code: '420033', message: 'No more rows to fetch' } };
      }
      return this.page(state, limit, undefined, false);
    }
    const path = call.query.get('path');
    if (!path)
      return { status: 400, error: { code: call.route.invalidCode, message: 'Mandatory parameter path is missing.' } };
    const newToken = `MOCKTOKEN${String(++this.tokens).padStart(8, '0')}`;
    const state = { path, offset: 0, loading: this.settings.analyticsLoadingPolls, finished: false };
    this.reports.set(newToken, state);
    return this.page(state, limit, newToken, call.query.get('col_names') !== 'false');
  }

  private page(
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
      { length: Math.max(0, Math.min(limit, this.settings.analyticsRows - state.offset)) },
      (_, i) => state.offset + i + 1,
    );
    state.offset += rows.length;
    // Like Alma, a full page does not know it was the last: the next call gets code 420033.
    state.finished = rows.length < limit;
    return { status: 200, body: queryResult(token, state.finished, headings, rows) };
  }
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
