import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { generateInMemory } from '../../generator/pipeline/generate.js';
import { listItemBase, listShapeOf } from '../../generator/ir/lists.js';
import type { ApiModel, NamedSchema, Operation } from '../../generator/ir/model.js';
import { ANSWER_FACTS, applyObservations } from '../../generator/ir/observed.js';
import type { GenerationReport } from '../../generator/emit/report.js';
import { buildXmlTypes } from '../../generator/ir/xml.js';
import { xmlToJson } from '../../runtime/xml/codec.js';
import { ALL_AREAS, REPO, SHARED_SPECS } from '../helpers/specs.js';

/** Alma's list convention, checked on every list schema present before it is trusted for the missing ones. */
let model: ApiModel;
let report: GenerationReport;
let files: Map<string, string>;
beforeAll(async () => {
  const generated = await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')));
  model = generated.model;
  files = generated.emitted.files;
  report = JSON.parse(files.get('generation-report.json')!) as GenerationReport;
});

const base = (s: NamedSchema) => path.basename(s.file).replace(/\.(json|xsd)$/, '');
const present = (name: string) =>
  existsSync(path.join(SHARED_SPECS, 'schemas', `${name}.json`)) ||
  existsSync(path.join(SHARED_SPECS, 'xsd', `${name}.xsd`));

describe("Alma's list convention", () => {
  test('every list schema present whose item schema is present follows it', () => {
    const lists = Object.values(model.schemas).filter(
      (s) =>
        (s.source === 'json-schema' || s.source === 'xsd') &&
        s.xmlRoot &&
        s.file &&
        listItemBase(base(s)) &&
        present(listItemBase(base(s))!) &&
        s.tsName === s.tsName.replace(/\d+$/, ''),
    );
    const checked = lists.filter((s) => base(s) !== listItemBase(base(s)));
    expect(checked.length).toBeGreaterThanOrEqual(15);
    const broken = checked.flatMap((list) => {
      const shape = listShapeOf(list);
      const ok =
        shape &&
        list.xmlRoot === base(list).replace(/^rest_/, '') &&
        shape.key === listItemBase(base(list))!.replace(/^rest_/, '');
      return ok ? [] : [`${base(list)} (${list.source})`];
    });
    // Not a paged list: a library's week of opening hours, with no total_record_count.
    expect(broken).toEqual(['rest_open_hours (json-schema)']);
  });

  test('a missing list schema whose item is present is derived from it, and reported as derived', () => {
    const loans = model.schemas['derived:rest_item_loans']!;
    expect(loans).toMatchObject({ tsName: 'ItemLoans', source: 'derived', xmlRoot: 'item_loans' });
    expect(listShapeOf(loans)).toEqual({ key: 'item_loan', itemId: expect.stringContaining('rest_item_loan.xsd') });
    expect(
      Object.values(model.schemas)
        .filter((s) => s.source === 'derived')
        .map((s) => s.tsName)
        .sort(),
    ).toEqual(['ItemLoans', 'Portfolios', 'Representations']);
    expect(report.operations.find((o) => o.exportName === 'listUserLoans')?.responseType).toBe('derived');
    expect(files.get('src/shared.ts')).toMatch(
      /A list of ItemLoan records, built by Alma's list convention[\s\S]*export interface ItemLoans \{\n[^}]*item_loan\?: ItemLoan\[\] \| null;[^}]*total_record_count\?: number \| null;/,
    );
  });

  test('the derived list reads Alma’s XML: the count is an attribute, the entries typed', () => {
    const xml = buildXmlTypes(model).get('derived:rest_item_loans')!;
    const json = xmlToJson(
      '<item_loans total_record_count="2"><item_loan><loan_id>1</loan_id><renewable>true</renewable></item_loan><item_loan><loan_id>2</loan_id></item_loan></item_loans>',
      xml,
    );
    expect(json).toEqual({ item_loan: [{ loan_id: '1', renewable: true }, { loan_id: '2' }], total_record_count: 2 });
  });
});

describe('coverage in the report', () => {
  test('nine areas, 314 operations of the specs and 1 supplementary, and per area the operations with every body typed', () => {
    expect(report.areas.map((a) => a.name)).toEqual(ALL_AREAS);
    expect(report.totals.operations).toBe(315);
    expect(report.operations.filter((o) => o.supplementary).map((o) => o.exportName)).toEqual(['getItemByBarcode']);
    const withBodies = report.operations.filter((o) => o.requestType || o.responseType);
    const fully = withBodies.filter((o) => o.requestType !== 'untyped' && o.responseType !== 'untyped');
    expect(withBodies).toHaveLength(275);
    expect(fully.length).toBeGreaterThanOrEqual(158);
    expect(report.totals).toMatchObject({ withBodies: 275, fullyTyped: fully.length });
    expect(report.areas.reduce((n, a) => n + a.fullyTyped, 0)).toBe(fully.length);
    expect(report.areas.find((a) => a.name === 'tasklists')).toMatchObject({
      operations: 10,
      withBodies: 10,
      fullyTyped: 8,
    });
  });

  test('answers the operation itself states: a file download is its bytes, a 204 has no body', () => {
    const op = (name: string) => model.areas.flatMap((a) => a.operations).find((o) => o.exportName === name)!;
    expect(op('getJobInstanceDownload').response.type).toEqual({ kind: 'file' });
    expect(op('getJobInstanceDownload').wireFormat).toBeUndefined();
    expect(report.operations.find((o) => o.exportName === 'getJobInstanceDownload')?.responseType).toBe('file');
    expect(files.get('src/conf.ts')).toMatch(
      /responseBytes: true,[\s\S]*export function getJobInstanceDownload\([^)]*\): Promise<Uint8Array>/,
    );
    expect(op('actOnUser').response).toMatchObject({ status: 204, mediaTypes: [] });
    expect(op('actOnUser').response.type).toBeUndefined();
    expect(files.get('src/users.ts')).toMatch(/export function actOnUser\([^)]*\): Promise<void>/);
    expect(model.diagnostics.filter((d) => d.kind === 'observed')).toEqual([]);
  });

  test('a known answer the spec now declares itself is reported, not applied', () => {
    const op = {
      area: 'conf',
      operationId: ANSWER_FACTS[0]!.operationId,
      exportName: 'getJobInstanceDownload',
      description: '',
      response: {
        status: 200,
        mediaTypes: ['application/json'],
        type: { kind: 'ref', id: 'rest_download.json#' },
        description: 'OK',
        headers: [],
      },
    } as unknown as Operation;
    const small: ApiModel = {
      areas: [{ name: 'conf', specFile: 'conf.json', title: 'conf', servers: [], operations: [op] }],
      schemas: {},
      diagnostics: [],
    };
    applyObservations(small, [], ANSWER_FACTS);
    expect(op.response.type).toEqual({ kind: 'ref', id: 'rest_download.json#' });
    expect(small.diagnostics).toEqual([
      expect.objectContaining({
        kind: 'observed',
        file: 'conf.json',
        message: expect.stringMatching(/^getJobInstanceDownload now declares its answer/),
      }),
    ]);
  });

  test('untyped bodies that JSON can carry go as JSON whatever the client’s format; XML-only operations as XML', () => {
    const op = (name: string) => model.areas.flatMap((a) => a.operations).find((o) => o.exportName === name)!;
    expect(op('getVendor').wireFormat).toBe('json');
    expect(op('createBib').wireFormat).toBe('xml');
    expect(op('getUser').wireFormat).toBeUndefined();
  });
});
