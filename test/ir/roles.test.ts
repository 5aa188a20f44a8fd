import { describe, expect, test } from 'vitest';
import { helperStatements } from '../../generator/emit/helpers.js';
import { ModuleNames } from '../../generator/emit/names.js';
import { buildModel } from '../../generator/ir/build.js';
import type { ApiModel, Operation } from '../../generator/ir/model.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { compileRoutes } from '../../mock/routes.js';
import { buildXmlTypes } from '../../generator/ir/xml.js';
import { configFor, SHARED_SPECS } from '../helpers/specs.js';

// Each operation's role is found once, in the IR (`ir/roles.ts`); the emitter's helpers and the mock read it.

const RENAMED = {
  'GET /almaws/v1/users': 'fetchPatrons',
  'POST /almaws/v1/conf/jobs/{job_id}': 'startJob',
  'GET /almaws/v1/conf/jobs/{job_id}/instances/{instance_id}': 'readJobRun',
  'GET /almaws/v1/analytics/reports': 'readReport',
  'GET /almaws/v1/users/{user_id}': 'fetchPatron',
  'POST /almaws/v1/users': 'addPatron',
};
const overrides = Object.entries(RENAMED)
  .map(([key, name]) => `    "${key}": ${name}`)
  .join('\n');
const plain = buildModel(configFor(SHARED_SPECS), new DocumentStore(SHARED_SPECS));
const renamed = buildModel(
  configFor(SHARED_SPECS, undefined, `naming:\n  overrides:\n${overrides}\n`),
  new DocumentStore(SHARED_SPECS),
);

const operationsOf = (model: ApiModel) =>
  new Map<string, Operation>(model.areas.flatMap((a) => a.operations).map((op) => [`${op.method} ${op.path}`, op]));
const role = (key: string) => operationsOf(plain).get(key)!.role;

describe('roles, from the IR', () => {
  test.each([
    { key: 'GET /almaws/v1/users', want: { kind: 'list', item: 'user' } },
    { key: 'GET /almaws/v1/users/{user_id}/loans', want: { kind: 'list', item: 'item_loan' } },
    { key: 'GET /almaws/v1/users/{user_id}', want: { kind: 'get' } },
    { key: 'GET /almaws/v1/conf/open-hours', want: { kind: 'singleton' } },
    { key: 'POST /almaws/v1/users', want: { kind: 'create' } },
    { key: 'POST /almaws/v1/users/{user_id}', want: { kind: 'action' } },
    { key: 'PUT /almaws/v1/users/{user_id}', want: { kind: 'replace', readWith: 'get/almaws/v1/users/{user_id}' } },
    { key: 'PUT /almaws/v1/conf/open-hours', want: { kind: 'replaceAll', readWith: 'get/almaws/v1/conf/open-hours' } },
    { key: 'PUT /almaws/v1/conf/relations', want: { kind: 'replaceAll' } },
    { key: 'DELETE /almaws/v1/users/{user_id}', want: { kind: 'delete' } },
    { key: 'DELETE /almaws/v1/conf/open-hours', want: { kind: 'deleteAll' } },
    { key: 'POST /almaws/v1/conf/jobs/{job_id}', want: { kind: 'job-run' } },
    { key: 'GET /almaws/v1/conf/jobs/{job_id}/instances/{instance_id}', want: { kind: 'job-instance' } },
    { key: 'GET /almaws/v1/conf/jobs/{job_id}/instances/{instance_id}/download', want: { kind: 'file' } },
    { key: 'GET /almaws/v1/analytics/reports', want: { kind: 'analytics-report' } },
  ])('$key → $want.kind', ({ key, want }) => {
    expect(role(key)).toEqual(want);
  });

  test('a naming override changes names only: the roles, the helpers and the mock routes stay', () => {
    const before = operationsOf(plain);
    const after = operationsOf(renamed);
    for (const [key, name] of Object.entries(RENAMED)) expect(after.get(key)!.exportName).toBe(name);
    for (const [key, op] of before) expect(after.get(key)!.role).toEqual(op.role);

    const helpers = (model: ApiModel, area: string) => {
      const operations = model.areas.find((a) => a.name === area)!.operations;
      return helperStatements(operations, new ModuleNames(model), model).map((helper) => helper.name);
    };
    // The same helpers; an update helper is named after its GET (`fetchPatron` → `updateFetchPatron`).
    for (const area of ['conf', 'analytics']) expect(helpers(renamed, area)).toEqual(helpers(plain, area));
    expect(helpers(plain, 'users')).toContain('updateUser');
    expect(helpers(renamed, 'users')).toEqual(
      helpers(plain, 'users').map((name) => (name === 'updateUser' ? 'updateFetchPatron' : name)),
    );
    const confHelpers = helperStatements(
      renamed.areas.find((a) => a.name === 'conf')!.operations,
      new ModuleNames(renamed),
      renamed,
    );
    expect(confHelpers.find((helper) => helper.name === 'runJobAndWait')?.statements).toContain(
      'runJob({ run: startJob, readInstance: readJobRun, instance: readJobRunOperation },',
    );

    const kinds = (model: ApiModel) =>
      compileRoutes(model, buildXmlTypes(model)).map((r) => [
        `${r.method} ${r.operation.path}`,
        r.kind,
        r.itemKey,
        r.operation.role,
      ]);
    expect(kinds(renamed)).toEqual(kinds(plain));
  });

  test('every operation has a role, and every list names the key of its entries', () => {
    const operations: Operation[] = plain.areas.flatMap((a) => a.operations);
    expect(operations.every((op) => typeof op.role.kind === 'string')).toBe(true);
    for (const op of operations.filter((o) => o.role.kind === 'list'))
      expect(op.role).toMatchObject({ item: expect.stringMatching(/^[a-z_]+$/) });
  });
});
