import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { generateFiles } from '../../generator/pipeline/generate.js';
import type { GenerationReport } from '../../generator/emit/report.js';
import { writeDirectoryAtomically } from '../../generator/pipeline/write.js';
import {
  ALL_AREAS,
  areasYaml,
  configFor,
  REPO,
  repoTempDir,
  scratchSpecs,
  SHARED_SPECS,
  tempDir,
} from '../helpers/specs.js';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', path.join(REPO, 'generator/cli.ts')];

function cliConfig(specDir: string, outDir: string): string {
  const dir = tempDir('alma-cli-');
  const file = path.join(dir, 'alma-codegen.yaml');
  writeFileSync(
    file,
    `specDir: ${JSON.stringify(specDir)}\noutput:\n  dir: ${JSON.stringify(outDir)}\n  packageName: alma-client\n${areasYaml(ALL_AREAS)}`,
  );
  return file;
}

function listFiles(dir: string, sub = ''): string[] {
  return readdirSync(path.join(dir, sub), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(sub, e.name)) : [path.join(sub, e.name)]))
    .sort();
}

describe('generating from the real specs', () => {
  let first: Awaited<ReturnType<typeof generateFiles>>;
  let packageDir: string;
  beforeAll(async () => {
    first = await generateFiles(configFor(SHARED_SPECS));
    packageDir = path.join(repoTempDir(), 'alma-client');
    await writeDirectoryAtomically(packageDir, first.emitted.files);
  });

  test('the report lists all 314 operations of the specs and the supplementary one, with unique export names', () => {
    const report = JSON.parse(first.emitted.files.get('generation-report.json')!) as GenerationReport;
    expect(report.totals.operations).toBe(315);
    expect(report.operations).toHaveLength(315);
    expect(new Set(report.operations.map((o) => o.exportName)).size).toBe(315);
    expect(report.areas.map((a) => [a.name, a.operations])).toEqual([
      ['acq', 59],
      ['analytics', 5],
      ['bibs', 78],
      ['conf', 68],
      ['courses', 29],
      ['electronic', 15],
      ['partners', 9],
      ['users', 42],
      ['tasklists', 10],
    ]);
    const getUser = report.operations.find((o) => o.exportName === 'getUser');
    expect(getUser).toMatchObject({
      operationId: 'get/almaws/v1/users/{user_id}',
      area: 'users',
      method: 'GET',
      path: '/almaws/v1/users/{user_id}',
      exportName: 'getUser',
      module: 'src/users.ts',
      responseType: 'xsd',
    });
    // The values its parameters' descriptions enumerate, with the text they were read from.
    expect(getUser?.documentedValues?.view).toMatchObject({ values: ['full', 'brief'], multiple: false });
    expect(getUser?.documentedValues?.expand?.text).toMatch(/^This parameter allows for expanding/);
    expect(report.operations.find((o) => o.exportName === 'listUsers')?.search?.fields).toContain('last_name');
    expect(report.operations.find((o) => o.exportName === 'getLibrary')?.responseType).toBe('json-schema');
    expect(report.operations.find((o) => o.exportName === 'getVendor')?.responseType).toBe('untyped');
    for (const source of ['json-schema', 'xsd', 'untyped'] as const)
      expect(report.totals.bodies[source]).toBeGreaterThan(0);
  });

  test('the same specs give byte-identical files', async () => {
    const second = await generateFiles(configFor(SHARED_SPECS));
    expect([...second.emitted.files.keys()]).toEqual([...first.emitted.files.keys()]);
    for (const [file, content] of first.emitted.files) expect(second.emitted.files.get(file), file).toBe(content);
  });

  test('the output type-checks under strict', async () => {
    expect(listFiles(packageDir)).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'tsconfig.json',
        'generation-report.json',
        'src/index.ts',
        'src/users.ts',
        'src/runtime/client.ts',
      ]),
    );
    const tsc = path.join(REPO, 'node_modules/.bin/tsc');
    const result = await run(tsc, ['--noEmit', '-p', packageDir]).then(
      () => 'ok',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('ok');
  });
});

describe('the CLI', () => {
  test('exits non-zero on bad input, says where and what to do, and leaves the previous output untouched', async () => {
    const specs = scratchSpecs();
    const outDir = tempDir('alma-out-');
    const config = cliConfig(specs, outDir);
    const ok = await run(process.execPath, [...CLI, 'generate', '--config', config], { cwd: REPO });
    expect(ok.stdout).toMatch(/315 operations/);
    const before = readFileSync(path.join(outDir, 'alma-client/src/users.ts'), 'utf8');

    writeFileSync(
      path.join(specs, 'users.json'),
      readFileSync(path.join(specs, 'users.json'), 'utf8').replace('"paths"', '"paths" ,,'),
    );
    const failed = await run(process.execPath, [...CLI, 'generate', '--config', config], { cwd: REPO }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(path.join(specs, 'users.json'));
    expect(failed.stderr).toMatch(/at line \d+, column \d+: malformed JSON/);
    expect(failed.stderr).toMatch(/fix: /);
    expect(readFileSync(path.join(outDir, 'alma-client/src/users.ts'), 'utf8')).toBe(before);
    expect(readdirSync(outDir)).toEqual(['alma-client']);
  });

  test('bundle writes self-contained specs with every schema ref local', async () => {
    const out = tempDir('alma-bundle-');
    await run(process.execPath, [...CLI, 'bundle', '--config', cliConfig(SHARED_SPECS, tempDir()), '--out', out], {
      cwd: REPO,
    });
    const users = readFileSync(path.join(out, 'users.json'), 'utf8');
    expect(users).not.toMatch(/"\$ref": "(https?:|\.\/)/);
    const spec = JSON.parse(users) as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(spec.components.schemas)).toEqual(
      expect.arrayContaining(['rest_fee__fee', 'rest_user__rest_user']),
    );
    expect(existsSync(path.join(out, 'conf.json'))).toBe(true);
  });
});
