import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readQueryResult } from '../../runtime/internal/query-result.js';
import { xmlToJson } from '../../runtime/xml/codec.js';
import { SHARED_PAYLOADS } from '../helpers/specs.js';

const payload = (file: string) => readFileSync(path.join(SHARED_PAYLOADS, file), 'utf8');

describe('reading real Analytics pages', () => {
  test('a document that is not a QueryResult is an AlmaError naming its root', () => {
    expect(() => readQueryResult('<web_service_result><errorsExist>true</errorsExist></web_service_result>')).toThrow(
      expect.objectContaining({
        name: 'AlmaError',
        message: 'expected a QueryResult document, got <web_service_result>',
      }),
    );
  });

  test('a first page in XML: token, not finished, headings from the rowset schema, rows by column', () => {
    const page = readQueryResult(payload('BIBSYSDEV+ALMA-API-Example-usage/analytics_response_valid_first_page.xml'));
    expect(page.token).toMatch(/^01FDDB40AF7F/);
    expect(page.finished).toBe(false);
    expect(page.headings).toEqual([
      ['Column0', '0'],
      ['Column1', 'First Name'],
      ['Column2', 'Last Name'],
      ['Column3', 'Primary Identifier'],
      ['Column4', 'User Group'],
      ['Column5', ' MAX( RCOUNT(1))'],
    ]);
    expect(page.rows[0]).toEqual([
      ['Column0', '0'],
      ['Column1', 'Yves'],
      ['Column2', 'Grange'],
      ['Column3', 'yves.grange'],
      ['Column4', 'Staff'],
      ['Column5', '123'],
    ]);
  });

  test('a later page in XML: finished, no schema, empty cells left out', () => {
    // Through the codec, as the client reads it: the QueryResult is kept whole in `anies`.
    const report = xmlToJson(payload('BIBSYSDEV+ALMA-API-Example-usage/analytics_response_valid.xml'), {
      root: 'report',
      props: [{ key: 'anies', kind: 'any', list: true }],
    });
    const page = readQueryResult((report.anies as string[])[0]!);
    expect(page).toMatchObject({ token: undefined, finished: true, headings: undefined });
    expect(page.rows[0]!.map(([column]) => column)).toEqual([
      'Column0',
      'Column1',
      'Column3',
      'Column4',
      'Column6',
      'Column8',
      'Column9',
      'Column10',
      'Column11',
      'Column12',
      'Column13',
      'Column14',
      'Column15',
    ]);
  });

  test.each(['circ_history.json', 'circ_history_empty.json'])(
    'the JSON form (%s): the QueryResult string in anies, declared UTF-16',
    (file) => {
      const { anies } = JSON.parse(payload(`mlibrary+alma_rest_client/${file}`)) as { anies: string[] };
      const page = readQueryResult(anies[0]!);
      expect(page.finished).toBe(true);
      expect(page.headings?.[1]).toEqual(['Column1', 'Author']);
      if (file === 'circ_history_empty.json') expect(page.rows).toEqual([]);
      else expect(page.rows.length).toBeGreaterThan(0);
    },
  );
});
