import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { GeneratorError } from '../../generator/errors.js';
import { buildModel } from '../../generator/ir/build.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { configFor, getReturning, miniSpec, readJson, scratchSpecs, SHARED_SPECS } from '../helpers/specs.js';
import { camelCase, exportNameFor, nestedTypeName, singular } from '../../generator/ir/naming.js';
import type { HttpMethod } from '../../generator/ir/model.js';

describe('exportNameFor', () => {
  const cases: [area: string, method: HttpMethod, path: string, want: string][] = [
    ['users', 'GET', '/almaws/v1/users/{user_id}', 'getUser'],
    ['users', 'GET', '/almaws/v1/users', 'listUsers'],
    ['users', 'POST', '/almaws/v1/users', 'createUser'],
    ['users', 'PUT', '/almaws/v1/users/{user_id}', 'replaceUser'],
    ['users', 'DELETE', '/almaws/v1/users/{user_id}', 'deleteUser'],
    ['users', 'POST', '/almaws/v1/users/{user_id}', 'actOnUser'],
    ['users', 'GET', '/almaws/v1/users/{user_id}/loans', 'listUserLoans'],
    ['users', 'GET', '/almaws/v1/users/ME', 'getMe'],
    ['users', 'GET', '/almaws/v1/users/operation/test', 'getUsersTest'],
    ['bibs', 'GET', '/almaws/v1/bibs/{mms_id}/requests', 'listBibRequests'],
    ['bibs', 'DELETE', '/almaws/v1/bibs/{mmsId}/requests/{requestId}', 'deleteBibRequest'],
    ['bibs', 'POST', '/almaws/v1/bibs/{mms_id}/portfolios/', 'createBibPortfolio'],
    ['bibs', 'GET', '/almaws/v1/bibs/{mms_id}/booking-availability', 'getBibBookingAvailability'],
    ['acq', 'GET', '/almaws/v1/acq/invoices/', 'listInvoices'],
    ['acq', 'GET', '/almaws/v1/acq/po-lines/{po_line_id}/items', 'listPoLineItems'],
    ['acq', 'GET', '/almaws/v1/acq/test', 'getAcqTest'],
    ['conf', 'GET', '/almaws/v1/conf/libraries/{libraryCode}/circ-desks/', 'listLibraryCircDesks'],
    ['conf', 'PUT', '/almaws/v1/conf/open-hours', 'replaceOpenHours'],
    ['conf', 'GET', '/almaws/v1/conf/jobs/{job_id}/instances/{instance_id}/matches', 'listJobInstanceMatches'],
    ['conf', 'GET', '/almaws/v1/conf/general', 'getGeneral'],
    ['electronic', 'GET', '/almaws/v1/electronic/e-collections/{collection_id}/e-services', 'listECollectionEServices'],
  ];
  test.each(cases)('%s %s %s → %s', (area, method, path, want) => {
    expect(exportNameFor(area, method, path)).toBe(want);
  });
});

describe('camelCase', () => {
  const cases: [string, string][] = [
    ['user_id', 'userId'],
    ['mmsId', 'mmsId'],
    ['itemPid', 'itemPid'],
    ['id', 'id'],
    ['set1', 'set1'],
    ['source_institution_code', 'sourceInstitutionCode'],
    ['order_by', 'orderBy'],
  ];
  test.each(cases)('%s → %s', (given, want) => expect(camelCase(given)).toBe(want));
});

describe('singular', () => {
  const cases: [string, string][] = [
    ['libraries', 'library'],
    ['matches', 'match'],
    ['po-lines', 'po-line'],
    ['fees', 'fee'],
    ['address', 'address'],
    ['data', 'data'],
  ];
  test.each(cases)('%s → %s', (given, want) => expect(singular(given)).toBe(want));
});

describe('nestedTypeName: no stuttering names', () => {
  const roots = new Set(['Holding', 'Vendor']);
  test.each([
    { parent: 'Event', own: 'EventKey', want: 'EventKey' },
    { parent: 'UserGroups', own: 'UserGroup', want: 'UserGroup' },
    {
      parent: 'AccessRightsAssignmentOptions',
      own: 'AccessRightsAssignmentOption',
      want: 'AccessRightsAssignmentOption',
    },
    { parent: 'Holdings', own: 'Holding', want: 'HoldingsHolding' },
    { parent: 'CdiInfo', own: 'CdiInfo', want: 'CdiInfo' },
    { parent: 'Fee', own: 'Transaction', want: 'FeeTransaction' },
  ])('$parent + $own → $want', ({ parent, own, want }) => {
    expect(nestedTypeName(parent, own, (name) => roots.has(name))).toBe(want);
  });

  test('no schema of the real specs repeats its parent in its name, unless a schema file has the short name', () => {
    const model = buildModel(configFor(SHARED_SPECS), new DocumentStore(SHARED_SPECS));
    const names = new Set(Object.values(model.schemas).map((s) => s.tsName));
    const stutters = [...names].filter((name) => {
      const words = name.match(/[A-Z][a-z0-9]*/g) ?? [];
      for (let cut = 1; cut < words.length; cut++) {
        const [head, tail] = [words.slice(0, cut).join(''), words.slice(cut).join('')];
        if (tail.startsWith(head.replace(/s$/, '')) && !names.has(tail)) return true;
      }
      return false;
    });
    expect(stutters).toEqual([]);
    expect(names).toContain('EventKey');
    expect(names).toContain('HoldingsHolding');
  });
});

describe('naming across the real specs', () => {
  test('adding an operation renames no other', () => {
    const specs = scratchSpecs();
    const before = buildModel(configFor(specs), new DocumentStore(specs)).areas.flatMap((a) =>
      a.operations.map((o) => [o.operationId, o.exportName]),
    );
    const users = readJson<{ paths: Record<string, unknown> }>(path.join(specs, 'users.json'));
    users.paths['/almaws/v1/users/{user_id}/loans/{loan_id}/history'] = {
      get: {
        summary: 'Loan history',
        operationId: 'get/almaws/v1/users/{user_id}/loans/{loan_id}/history',
        parameters: [
          { name: 'user_id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'loan_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
    writeFileSync(path.join(specs, 'users.json'), JSON.stringify(users));
    const after = buildModel(configFor(specs), new DocumentStore(specs)).areas.flatMap((a) =>
      a.operations.map((o) => [o.operationId, o.exportName]),
    );
    expect(after).toHaveLength(before.length + 1);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toContainEqual(['get/almaws/v1/users/{user_id}/loans/{loan_id}/history', 'getUserLoanHistory']);
  });

  test.each(['delete', 'class', '2fast', 'get-user'])('an override to %j is refused', (name) => {
    expect(() =>
      buildModel(
        configFor(
          SHARED_SPECS,
          ['users'],
          `naming:\n  overrides:\n    "GET /almaws/v1/users": ${JSON.stringify(name)}\n`,
        ),
        new DocumentStore(SHARED_SPECS),
      ),
    ).toThrow(GeneratorError);
  });
});

describe('names of inline schemas (tasklists.yaml has every schema inline)', () => {
  const tasklistNames = (specs: string, areas = ['conf', 'users', 'tasklists']) => {
    const model = buildModel(configFor(specs, areas), new DocumentStore(specs));
    return Object.values(model.schemas)
      .filter((s) => s.file.endsWith('tasklists.yaml'))
      .map((s) => [s.id, s.tsName] as const);
  };

  test('come from what the schema says about itself, never from a counter', () => {
    const names = tasklistNames(SHARED_SPECS).map(([, name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Printouts',
        'Printout',
        'RequestedResources',
        'RequestedResource',
        'UserResourceSharingRequests',
        'RsNote',
      ]),
    );
    expect(names.filter((n) => /^(Schema|Items)\d*$/.test(n) || /\d$/.test(n))).toEqual([]);
  });

  test('a name taken by another area falls back to the entity of the operation, then to the enclosing type', () => {
    const names = new Map(tasklistNames(SHARED_SPECS).map(([id, name]) => [id.split('#')[1]!, name]));
    // `user_resource_sharing_request` is the users area's XSD type; `location` is conf's.
    expect(
      names.get(
        '/paths/~1almaws~1v1~1task-lists~1rs~1lending-requests/get/responses/200/content/application~1json/schema/properties/user_resource_sharing_request/items',
      ),
    ).toBe('LendingRequest');
    expect([...names.values()]).toContain('RequestedResourceLocation');
  });

  test('an inline object that names nothing is named after the operation’s entity', () => {
    const specs = scratchSpecs();
    writeFileSync(
      path.join(specs, 'tasklists.yaml'),
      JSON.stringify(
        miniSpec({
          '/almaws/v1/task-lists/notices/{notice_id}': getReturning(
            { type: 'object', properties: { text: { type: 'string' } } },
            { parameters: [{ name: 'notice_id', in: 'path', required: true, schema: { type: 'string' } }] },
          ),
        }),
      ),
    );
    expect(tasklistNames(specs, ['tasklists']).map(([, name]) => name)).toEqual(['Notice']);
  });

  test('adding an operation renames no schema', () => {
    const specs = scratchSpecs();
    const before = tasklistNames(specs);
    const spec = parseYaml(readFileSync(path.join(specs, 'tasklists.yaml'), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    const schema = {
      type: 'object',
      xml: { name: 'printout' },
      properties: { id: { type: 'string' }, pages: { type: 'integer' } },
    };
    // Before every other path, and after them: one a new schema, one whose own name is taken.
    spec.paths = {
      '/almaws/v1/task-lists/notices': getReturning({
        type: 'object',
        xml: { name: 'notices' },
        properties: { total_record_count: { type: 'integer' } },
      }),
      ...spec.paths,
      '/almaws/v1/task-lists/printouts/{printout_id}/copies': getReturning(schema, {
        parameters: [{ name: 'printout_id', in: 'path', required: true, schema: { type: 'string' } }],
      }),
    };
    writeFileSync(path.join(specs, 'tasklists.yaml'), JSON.stringify(spec));
    const after = tasklistNames(specs);
    expect(after).toEqual(expect.arrayContaining([...before]));
    expect(after).toHaveLength(before.length + 2);
    expect(after.map(([, name]) => name)).toEqual(expect.arrayContaining(['Notices', 'Copies']));
  });
});
