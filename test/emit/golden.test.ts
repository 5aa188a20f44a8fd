import { beforeAll, describe, expect, test } from 'vitest';
import { generateInMemory } from '../../generator/pipeline/generate.js';
import path from 'node:path';
import { loadConfig } from '../../generator/config.js';
import { REPO } from '../helpers/specs.js';

/**
 * Golden files of the emitted code for representative operations: one per area, XSD-typed, JSON-schema-typed and
 * untyped bodies among them. A change to the emitter shows here as a diff to review (`vitest -u` to accept).
 */
const OPERATIONS: [module: string, exportName: string][] = [
  ['acq', 'getVendor'],
  ['analytics', 'getAnalyticsReport'],
  ['bibs', 'getBib'],
  ['conf', 'getLibrary'],
  ['conf', 'replaceLibraryLocation'],
  ['conf', 'updateLibraryLocation'],
  ['conf', 'runJobAndWait'],
  ['analytics', 'analyticsReportRows'],
  ['courses', 'listCourses'],
  ['electronic', 'deleteECollection'],
  ['partners', 'createPartner'],
  ['users', 'getUser'],
  ['users', 'listUserLoans'],
];

const SCHEMAS: [module: string, typeName: string][] = [
  ['conf', 'Library'],
  ['shared', 'Items'],
];

/** The top-level statements of a module that belong to `name` (its params, descriptor and function). */
function statementsOf(source: string, pick: (statement: string) => boolean): string {
  return source
    .split(/\n\n(?=\/\*\*|export |import )/)
    .filter(pick)
    .join('\n\n')
    .trimEnd()
    .concat('\n');
}

describe('golden emitted code', () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    // The repository's own configuration: golden files show what `npm run generate` gives.
    files = (await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')))).emitted.files;
  });

  test.each(OPERATIONS)('%s: %s', async (module, name) => {
    const params = `${name.charAt(0).toUpperCase()}${name.slice(1)}Params`;
    const text = statementsOf(
      files.get(`src/${module}.ts`)!,
      (s) =>
        s.includes(`export interface ${params} `) ||
        s.includes(`export const ${name}Operation `) ||
        s.includes(`export function ${name}(`),
    );
    expect(text).toContain(`export function ${name}(`);
    await expect(text).toMatchFileSnapshot(`golden/${module}.${name}.ts.snap`);
  });

  test.each(SCHEMAS)('%s: type %s', async (module, name) => {
    const text = statementsOf(
      files.get(`src/${module}.ts`)!,
      (s) => s.includes(`export interface ${name} `) || s.includes(`export type ${name} `),
    );
    expect(text).toMatch(new RegExp(`export (interface|type) ${name} `));
    await expect(text).toMatchFileSnapshot(`golden/${module}.${name}.ts.snap`);
  });

  test('module headers import only what they use', async () => {
    const header = files.get('src/users.ts')!.split('\n').slice(0, 3).join('\n');
    await expect(`${header}\n`).toMatchFileSnapshot('golden/users.header.ts.snap');
  });
});
