import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { changeReport, formatChanges, type Change } from '../../generator/specs/diff.js';
import { buildModel } from '../../generator/ir/build.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { configFor, scratchSpecs, SHARED_SPECS } from '../helpers/specs.js';

/** The report between the real specs and a scratch copy edited by `edit`. */
function reportAfter(edit: (dir: string) => void): Change[] {
  const dir = scratchSpecs();
  edit(dir);
  const config = configFor(SHARED_SPECS);
  return changeReport(buildModel(config, new DocumentStore(SHARED_SPECS)), buildModel(config, new DocumentStore(dir)));
}

// biome-ignore lint/suspicious/noExplicitAny: a spec edited freely, as a user edits it
function editJson(file: string, change: (json: any) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
}

describe('the change report on hand-made spec edits', () => {
  test("Ex Libris' wording: a q field dropped (breaking), a documented value added (not)", () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'users.json'), (spec) => {
        const q = spec.paths['/almaws/v1/users'].get.parameters.find((p: { name: string }) => p.name === 'q');
        q.description = q.description.replace('middle_name, ', '');
        const view = spec.paths['/almaws/v1/users/{user_id}'].get.parameters.find(
          (p: { name: string }) => p.name === 'view',
        );
        view.description = view.description.replace('Possible values: ', 'Possible values: compact - a few fields. ');
      }),
    );
    expect(changes).toEqual([
      {
        kind: 'search-changed',
        breaking: true,
        area: 'users',
        subject: 'GET /almaws/v1/users',
        detail: 'q fields removed: middle_name',
      },
      {
        kind: 'values-changed',
        breaking: false,
        area: 'users',
        subject: 'GET /almaws/v1/users/{user_id}',
        detail: 'view documented values: full, brief → compact, full, brief',
      },
    ]);
  });

  test('a supplementary operation the spec starts to define is dropped, with a note', () => {
    const dir = scratchSpecs();
    editJson(path.join(dir, 'bibs.json'), (spec) => {
      spec.paths['/almaws/v1/items'] = {
        get: {
          summary: 'Retrieve Item by barcode',
          operationId: 'getItemByBarcode',
          parameters: [{ name: 'item_barcode', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'OK' } },
        },
      };
    });
    const model = buildModel(configFor(dir), new DocumentStore(dir));
    const byBarcode = model.areas.flatMap((a) => a.operations).filter((op) => op.path === '/almaws/v1/items');
    expect(byBarcode).toHaveLength(1);
    expect(byBarcode[0]!.supplementary).toBeUndefined();
    expect(model.diagnostics.filter((d) => d.kind === 'supplementary').map((d) => d.message)).toEqual([
      expect.stringMatching(
        /^GET \/almaws\/v1\/items is now defined by the bibs spec: the supplementary entry was dropped; delete it from .*supplementary\.yaml$/,
      ),
    ]);
  });

  test('no edit, no change', () => {
    expect(reportAfter(() => undefined)).toEqual([]);
  });

  test('an operation added', () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'users.json'), (spec) => {
        spec.paths['/almaws/v1/users/{user_id}/notes'] = {
          get: {
            summary: 'Notes',
            operationId: 'x',
            parameters: [{ name: 'user_id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'OK' } },
          },
        };
      }),
    );
    expect(changes).toEqual([
      {
        kind: 'operation-added',
        breaking: false,
        area: 'users',
        subject: 'GET /almaws/v1/users/{user_id}/notes',
        detail: 'new function listUserNotes',
      },
    ]);
  });

  test('a parameter removed, one added as required, one retyped', () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'users.json'), (spec) => {
        const op = spec.paths['/almaws/v1/users/{user_id}'].get;
        op.parameters = op.parameters.filter((p: { name: string }) => p.name !== 'expand');
        op.parameters.find((p: { name: string }) => p.name === 'view').schema.type = 'integer';
        op.parameters.push({ name: 'campus', in: 'query', required: true, schema: { type: 'string' } });
      }),
    );
    expect(changes.map((c) => [c.kind, c.breaking, c.detail])).toEqual([
      ['parameter-added', true, 'query parameter campus (campus, required)'],
      ['parameter-changed', true, 'view: type string → integer, default "full" → undefined'],
      ['parameter-removed', true, 'query parameter expand (expand)'],
    ]);
    expect(changes.every((c) => c.subject === 'GET /almaws/v1/users/{user_id}')).toBe(true);
  });

  test('a field retyped, one removed, one added', () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'schemas/rest_library.json'), (schema) => {
        schema.library.properties.resource_sharing.type = 'string';
        delete schema.library.properties.proxy;
        schema.library.properties.opening_year = { type: 'integer' };
      }),
    );
    expect(changes).toEqual([
      { kind: 'field-removed', breaking: true, area: 'schemas', subject: 'Library.proxy', detail: 'string' },
      {
        kind: 'field-retyped',
        breaking: true,
        area: 'schemas',
        subject: 'Library.resource_sharing',
        detail: 'boolean → string',
      },
      { kind: 'field-added', breaking: false, area: 'schemas', subject: 'Library.opening_year', detail: 'number' },
    ]);
  });

  test('an error code added', () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'users.json'), (spec) => {
        spec.paths['/almaws/v1/users/{user_id}'].get.responses['400'].description += "\n\n401999 - 'User is archived.'";
      }),
    );
    expect(changes).toEqual([
      {
        kind: 'error-code-added',
        breaking: false,
        area: 'users',
        subject: 'GET /almaws/v1/users/{user_id}',
        detail: '401999 - User is archived.',
      },
    ]);
  });

  test('an operation removed is breaking; the text report marks it', () => {
    const changes = reportAfter((dir) =>
      editJson(path.join(dir, 'conf.json'), (spec) => {
        delete spec.paths['/almaws/v1/conf/printers'];
      }),
    );
    expect(changes).toEqual([
      {
        kind: 'operation-removed',
        breaking: true,
        area: 'conf',
        subject: 'GET /almaws/v1/conf/printers',
        detail: 'listPrinters is gone',
      },
    ]);
    expect(formatChanges(changes)).toBe(
      'BREAKING  operation-removed     conf       GET /almaws/v1/conf/printers: listPrinters is gone\n\n1 change, 1 breaking.\n',
    );
  });
});

describe('alma-codegen diff', () => {
  test('prints the report between two directories, as JSON on request', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { REPO } = await import('../helpers/specs.js');
    const dir = scratchSpecs();
    editJson(path.join(dir, 'conf.json'), (spec) => {
      delete spec.paths['/almaws/v1/conf/printers'];
    });
    const cli = [
      '--import',
      'tsx',
      path.join(REPO, 'generator/cli.ts'),
      '--config',
      path.join(REPO, 'alma-codegen.yaml'),
      'diff',
      '--old',
      SHARED_SPECS,
      '--new',
      dir,
    ];
    const text = await promisify(execFile)(process.execPath, cli, { cwd: REPO });
    expect(text.stdout).toContain('BREAKING  operation-removed');
    const json = await promisify(execFile)(process.execPath, [...cli, '--json'], { cwd: REPO });
    expect(JSON.parse(json.stdout)).toMatchObject({
      breaking: 1,
      changes: [expect.objectContaining({ kind: 'operation-removed', subject: 'GET /almaws/v1/conf/printers' })],
    });
    // For CI: a breaking change fails the command when asked.
    const failing = await promisify(execFile)(process.execPath, [...cli, '--fail-on', 'breaking'], { cwd: REPO }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failing).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('1 breaking change(s) (--fail-on breaking)'),
    });
  });
});
