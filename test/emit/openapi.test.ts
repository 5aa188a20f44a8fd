import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { generateFiles } from '../../generator/pipeline/generate.js';
import type { ApiModel, IrType, Operation } from '../../generator/ir/model.js';
import { writeDirectoryAtomically } from '../../generator/pipeline/write.js';
import { areaFragment, mergeFragments, type OpenapiFragment } from '../../generator/emit/openapi/fragments.js';
import type { Json } from '../../generator/load/bundle.js';
import { miniSpec, overWidth, REPO, repoTempDir, writeStrictTsconfig } from '../helpers/specs.js';

/**
 * openapi-typescript in the product: (1) the reference translation of JSON schema is an oracle for our types — for
 * every body typed from JSON schema, our type and openapi-typescript's type of the same body are each assignable to
 * the other, but for the differences we chose, listed below with their reasons; (2) the package's `openapi` entry
 * serves openapi-fetch users.
 */

/**
 * Differences on purpose. Throughout: our optional fields also admit `null` (what Alma's JSON sends; the check
 * compares ours without it in the direction ours → theirs), and our names are our own (`Library`, not
 * `rest_library__library`). Beyond that, each entry: the type, the direction that fails, and why.
 */
const INTENDED: { type: string; direction: 'ours → theirs' | 'theirs → ours'; reason: string }[] = [
  {
    type: 'Fee',
    direction: 'ours → theirs',
    reason:
      'creation_time and transaction.transaction_time also admit epoch milliseconds, as real fee records show (ir/observed.ts)',
  },
  { type: 'Fees', direction: 'ours → theirs', reason: 'its fee entries are Fee records (above)' },
  {
    type: 'Library',
    direction: 'ours → theirs',
    reason:
      'number_of_locations and number_of_circ_desks are a string or a number, as real records show (ir/observed.ts)',
  },
  { type: 'Libraries', direction: 'ours → theirs', reason: 'its entries are Library records (above)' },
  {
    type: 'LendingRequest',
    direction: 'ours → theirs',
    reason: 'its code-table values (CodeValue) may carry a link, as real resource-sharing requests show',
  },
  {
    type: 'UserResourceSharingRequests',
    direction: 'ours → theirs',
    reason: 'its code-table values (CodeValue) may carry a link, as real resource-sharing requests show',
  },
];

const run = promisify(execFile);
let model: ApiModel;
let dir: string;
let compiled: { errors: string[]; output: string; checks: Map<number, { type: string; direction: string }> };

beforeAll(async () => {
  const generated = await generateFiles(loadConfig(path.join(REPO, 'alma-codegen.yaml')));
  model = generated.model;
  dir = repoTempDir('openapi-');
  await writeDirectoryAtomically(path.join(dir, 'alma-client'), generated.emitted.files);
  mkdirSync(path.join(dir, 'checks'));
  const checks = new Map<number, { type: string; direction: string }>();
  const lines = [
    `import type { paths } from '../alma-client/src/openapi.js';`,
    `import type * as ours from '../alma-client/src/index.js';`,
    '/** Our types without the `null` every optional field admits. */',
    'type NoNull<T> = T extends readonly (infer I)[] ? NoNull<I>[] : T extends object ? { [K in keyof T]: NoNull<Exclude<T[K], null>> } : T;',
  ];
  let n = 0;
  const check = (type: string, ourType: string, theirType: string) => {
    lines.push(`declare const ours${n}: NoNull<${ourType}>;`);
    checks.set(lines.length + 1, { type, direction: 'ours → theirs' });
    lines.push(`export const theirsFromOurs${n}: ${theirType} = ours${n};`);
    lines.push(`declare const theirs${n}: ${theirType};`);
    checks.set(lines.length + 1, { type, direction: 'theirs → ours' });
    lines.push(`export const oursFromTheirs${n}: ${ourType} = theirs${n};`);
    n++;
  };
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const at = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]`;
    if (
      op.requestBody &&
      fromJsonSchema(op.requestBody.type) &&
      op.requestBody.mediaTypes.includes('application/json')
    ) {
      check(
        nameOf(op.requestBody.type),
        `ours.${paramsName(op)}['body']`,
        `NonNullable<${at}['requestBody']>['content']['application/json']`,
      );
    }
    if (op.response.type && fromJsonSchema(op.response.type) && op.response.mediaTypes.includes('application/json')) {
      check(
        nameOf(op.response.type),
        `Awaited<ReturnType<typeof ours.${op.exportName}>>`,
        `${at}['responses'][${op.response.status}]['content']['application/json']`,
      );
    }
  }
  writeFileSync(path.join(dir, 'checks', 'checks.ts'), `${lines.join('\n')}\n`);
  writeStrictTsconfig(path.join(dir, 'checks'));
  const output = await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
    cwd: path.join(dir, 'checks'),
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );
  compiled = { errors: output.split('\n').filter((l) => /error TS/.test(l)), output, checks };
}, 240_000);

function fromJsonSchema(type: IrType): boolean {
  return type.kind === 'ref' && model.schemas[type.id]?.source === 'json-schema';
}

function nameOf(type: IrType): string {
  return type.kind === 'ref' ? model.schemas[type.id]!.tsName : '?';
}

function paramsName(op: Operation): string {
  return `${op.exportName.charAt(0).toUpperCase()}${op.exportName.slice(1)}Params`;
}

describe('openapi-typescript as an oracle for the JSON-schema types', () => {
  test('our types and openapi-typescript’s agree both ways, but for the intended differences', () => {
    expect(compiled.checks.size).toBeGreaterThanOrEqual(100);
    const disagreements = new Set<string>();
    for (const error of compiled.errors) {
      const line = Number(/^checks\.ts\((\d+),/.exec(error)?.[1]);
      const check = compiled.checks.get(line);
      // An error that is no check's (a broken file) is a failure too.
      disagreements.add(check ? `${check.type}: ${check.direction}` : error);
    }
    expect([...disagreements].sort()).toEqual(INTENDED.map((d) => `${d.type}: ${d.direction}`).sort());
  });

  test('the check catches a real disagreement', () => {
    // The observed epoch milliseconds of fees are a difference the compiler finds, not one the table hides.
    expect(compiled.output).toMatch(
      /Types of property 'creation_time' are incompatible\.\s+Type 'string \| number \| undefined' is not assignable to type 'string \| undefined'/,
    );
  });
});

describe('paths types for openapi-fetch', () => {
  test('in the style of the package: two-space indent, single quotes, within the line width', () => {
    const text = readFileSync(path.join(dir, 'alma-client/src/openapi.ts'), 'utf8');
    expect(text).toContain("\n  '/almaws/v1/users/{user_id}': {\n");
    expect(text.split('\n').length).toBeGreaterThan(10_000);
    expect(overWidth(text)).toEqual([]);
  });

  test('createClient<paths>() types Alma’s operations: parameters, bodies and answers', async () => {
    writeFileSync(
      path.join(dir, 'checks', 'fetch.ts'),
      `import createClient from 'openapi-fetch';
import type { paths } from '../alma-client/src/openapi.js';

const alma = createClient<paths>({ baseUrl: 'https://api-eu.hosted.exlibrisgroup.com', headers: { Authorization: 'apikey KEY', Accept: 'application/json' } });

export async function patron(userId: string): Promise<string | undefined> {
  const { data } = await alma.GET('/almaws/v1/users/{user_id}', { params: { path: { user_id: userId }, query: { view: 'brief' } } });
  return data?.primary_id ?? undefined;
}

export async function libraries(): Promise<string[]> {
  const { data } = await alma.GET('/almaws/v1/conf/libraries');
  return (data?.library ?? []).map((l) => l.code ?? '');
}

export async function printouts(): Promise<number> {
  const { data } = await alma.GET('/almaws/v1/task-lists/printouts', { params: { query: { limit: 10 } } });
  return data?.total_record_count ?? 0;
}

export async function mistakes(): Promise<void> {
  // @ts-expect-error the path parameter is required
  await alma.GET('/almaws/v1/users/{user_id}', { params: { path: {} } });
  // @ts-expect-error no such operation
  await alma.GET('/almaws/v1/no-such-path');
}
`,
    );
    const result = await run(
      process.execPath,
      [
        path.join(REPO, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        'fetch.ts',
      ],
      { cwd: path.join(dir, 'checks') },
    ).then(
      () => 'ok',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('ok');
  }, 120_000);
});

describe('fragments of src/openapi.ts, made in units', () => {
  const spec = (summary: string, codeType = 'string') =>
    miniSpec(
      {
        '/almaws/v1/things/{id}': {
          get: {
            operationId: 'getThing',
            summary,
            parameters: [{ $ref: '#/components/parameters/id' }],
            responses: {
              '200': {
                description: 'OK',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
        '/almaws/v1/things': {
          get: { operationId: 'listThings', summary: 'List', responses: { '200': { description: 'OK' } } },
        },
        '/almaws/v1/others': {
          post: { operationId: 'createOther', summary: 'Create', responses: { '200': { description: 'OK' } } },
        },
      },
      {
        components: {
          parameters: { id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
          schemas: { Thing: { type: 'object', properties: { code: { type: codeType } } } },
        },
      },
    ) as Json;
  const fragment = (json: Json, previous?: OpenapiFragment) =>
    areaFragment({ area: 'x', spec: json }, 'k', 'code', previous);
  const fresh = (f: OpenapiFragment, previous: OpenapiFragment) => f.units.filter((u) => !previous.units.includes(u));

  test.each([
    { edit: 'one operation’s summary', given: spec('Read it again'), want: 1 },
    { edit: 'nothing', given: spec('Read it'), want: 0 },
    // Path items resolve their references in the rest of the document: a change there makes every unit again.
    { edit: 'a schema', given: spec('Read it', 'integer'), want: 4 },
  ])('$edit changed: $want unit(s) made again, the module the same as one made from nothing', ({ given, want }) => {
    const first = fragment(spec('Read it'));
    expect(first.units).toHaveLength(4);
    const again = fragment(given, first);
    expect(fresh(again, first)).toHaveLength(want);
    expect(mergeFragments([again])).toBe(mergeFragments([fragment(given)]));
  });

  test('operations keep the order of their paths', () => {
    const text = mergeFragments([fragment(spec('Read it'))]);
    const operations = text.slice(text.indexOf('export interface operations'));
    expect([...operations.matchAll(/^ {2}(\w+): \{/gm)].map((m) => m[1])).toEqual([
      'createOther',
      'listThings',
      'getThing',
    ]);
  });
});
