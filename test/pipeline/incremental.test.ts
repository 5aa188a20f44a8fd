import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../generator/config.js';
import { generate } from '../../generator/pipeline/generate.js';
import { staleness } from '../../generator/pipeline/manifest.js';
import { REPO, repoTempDir, scratchSpecs } from '../helpers/specs.js';

const run = promisify(execFile);

function setup() {
  const specs = scratchSpecs();
  const out = repoTempDir('incremental-');
  const file = path.join(out, 'alma-codegen.yaml');
  const text = readFileSync(path.join(REPO, 'alma-codegen.yaml'), 'utf8').replace(
    /^output:\n {2}dir: output$/m,
    `specDir: ${JSON.stringify(specs)}\noutput:\n  dir: ${JSON.stringify(path.join(out, 'output'))}`,
  );
  writeFileSync(file, text);
  return { specs, config: parseConfig(text, file, {}), file };
}

/** Every file under a folder with its content, by relative path. */
const treeOf = (dir: string) =>
  Object.fromEntries(
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((e) => e.isFile())
      .map((e) => [
        path.relative(dir, path.join(e.parentPath, e.name)),
        readFileSync(path.join(e.parentPath, e.name), 'utf8'),
      ])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );

const mtimes = (dir: string, files: string[]) =>
  Object.fromEntries(files.map((f) => [f, statSync(path.join(dir, f)).mtimeMs]));

describe('incremental generation', () => {
  test('only the touched area is rewritten; check reports staleness until then', async () => {
    const { specs, config, file } = setup();
    const first = await generate(config);
    expect(first.written.length).toBeGreaterThan(25);
    expect(staleness(config, first.packageDir)).toEqual({ upToDate: true, reasons: [] });
    const areas = ['acq', 'analytics', 'bibs', 'conf', 'courses', 'electronic', 'partners'].map((a) => `src/${a}.ts`);
    const before = mtimes(first.packageDir, [...areas, 'src/shared.ts', 'src/runtime/client.ts']);
    await new Promise((r) => setTimeout(r, 20));

    const users = JSON.parse(readFileSync(path.join(specs, 'users.json'), 'utf8'));
    users.paths['/almaws/v1/users/{user_id}/notes'] = {
      get: {
        summary: 'Notes',
        operationId: 'x',
        parameters: [{ name: 'user_id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'OK' } },
      },
    };
    writeFileSync(path.join(specs, 'users.json'), JSON.stringify(users));

    const stale = staleness(config, first.packageDir);
    expect(stale).toMatchObject({ upToDate: false, reasons: ['users: users.json changed'] });
    const check = await run(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'generator/cli.ts'), '--config', file, 'check'],
      { cwd: REPO },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(check).toMatchObject({ code: 1, stderr: expect.stringContaining('users: users.json changed') });

    const second = await generate(config);
    // Only users' model, module and part of the openapi paths types are made again; the rest is taken as it was.
    expect(second.emitted.rendered).toEqual(['model (users)', 'src/users.ts', 'src/openapi.ts (users)']);
    expect(second.written.sort()).toEqual([
      '.alma-codegen-cache/model/users.json',
      '.alma-codegen-cache/openapi/users.json',
      '.alma-codegen-cache/printed/users.json',
      '.alma-codegen-manifest.json',
      'README.md',
      'generation-report.json',
      'package.json',
      'src/openapi.ts',
      'src/users.ts',
    ]);
    expect(mtimes(second.packageDir, Object.keys(before))).toEqual(before);
    expect(readFileSync(path.join(second.packageDir, 'src/users.ts'), 'utf8')).toContain(
      'export function listUserNotes(',
    );
    expect(staleness(config, second.packageDir).upToDate).toBe(true);

    // The same bytes as a full generation from nothing, every file (manifest and caches included).
    const fullDir = path.join(repoTempDir('incremental-full-'), 'output');
    const full = await generate({ ...config, output: { ...config.output, dir: fullDir } }, undefined, { force: true });
    expect(full.emitted.rendered).toHaveLength(9 + 10 + 9);
    expect(treeOf(second.packageDir)).toEqual(treeOf(full.packageDir));
  });

  test('without the caches (deleted, or edited), the same output is made again', async () => {
    const { config } = setup();
    const first = await generate(config);
    rmSync(path.join(first.packageDir, '.alma-codegen-cache'), { recursive: true });
    writeFileSync(path.join(first.packageDir, 'src/conf.ts'), '// edited\n');
    const again = await generate(config);
    expect(again.emitted.rendered.filter((r) => r.startsWith('src/openapi.ts'))).toHaveLength(9);
    expect(again.emitted.rendered).toContain('src/conf.ts');
    expect(again.emitted.rendered).not.toContain('src/users.ts');
    expect(treeOf(again.packageDir)).toEqual(treeOf(first.packageDir));
  });

  test('a schema file that appears (sync) makes the areas using it stale', async () => {
    const { specs, config } = setup();
    const result = await generate(config);
    writeFileSync(
      path.join(specs, 'schemas', 'rest_vendor.json'),
      JSON.stringify({
        rest_vendor: { $ref: '#/vendor' },
        vendor: { type: 'object', properties: { code: { type: 'string' } } },
      }),
    );
    expect(staleness(config, result.packageDir)).toMatchObject({
      upToDate: false,
      reasons: ['acq: schemas/rest_vendor.json changed'],
    });
    // Which files exist decides where types come from: no area's cached model is taken, and the output is the one a
    // generation from nothing makes.
    const again = await generate(config);
    expect(again.emitted.rendered.filter((r) => r.startsWith('model ('))).toHaveLength(9);
    const full = await generate(
      { ...config, output: { ...config.output, dir: path.join(repoTempDir('incremental-full-'), 'output') } },
      undefined,
      { force: true },
    );
    expect(treeOf(again.packageDir)).toEqual(treeOf(full.packageDir));
  });

  test('an edited output file, or a changed configuration, is stale too', async () => {
    const { config } = setup();
    const result = await generate(config);
    writeFileSync(path.join(result.packageDir, 'src/acq.ts'), '// edited by hand\n');
    expect(staleness(config, result.packageDir).reasons).toEqual(['src/acq.ts was edited or deleted in the output']);
    const again = await generate(config);
    expect(again.written).toEqual(['src/acq.ts']);
    writeFileSync(config.file, `${readFileSync(config.file, 'utf8')}\n# a comment\n`);
    expect(staleness(config, result.packageDir)).toMatchObject({
      upToDate: false,
      reasons: ['the configuration, the runtime or the templates changed'],
    });
  });
});

describe('generate --watch', () => {
  test('regenerates the touched area on a spec edit, once for a burst of edits; every save of the configuration by rename', async () => {
    const { spawn } = await import('node:child_process');
    const { specs, file, config } = setup();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'generator/cli.ts'), '--config', file, 'generate', '--watch'],
      { cwd: REPO },
    );
    let out = '';
    let errors = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const until = async (predicate: () => boolean, ms = 20_000) => {
      const deadline = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${out}\nerrors:\n${errors}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(() => out.includes('watching'));
      const runsBefore = out.split('files written').length;
      const usersFile = path.join(specs, 'users.json');
      const users = JSON.parse(readFileSync(usersFile, 'utf8'));
      for (let i = 0; i < 3; i++) {
        users.paths['/almaws/v1/users/{user_id}/notes'] = {
          get: {
            summary: `Notes ${i}`,
            operationId: 'x',
            parameters: [{ name: 'user_id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'OK' } },
          },
        };
        writeFileSync(usersFile, JSON.stringify(users));
      }
      const packageDir = path.join(path.dirname(file), 'output', 'alma-client');
      await until(() => readFileSync(path.join(packageDir, 'src/users.ts'), 'utf8').includes('Notes 2'));
      await new Promise((r) => setTimeout(r, 500));
      expect(out.split('files written').length - runsBefore).toBe(1);
      expect(staleness(config, packageDir).upToDate).toBe(true);

      // Editors that save by writing a new file and renaming it over the old one: every save counts, not the first.
      const saveByRename = (version: string) => {
        const temporary = `${file}.swp`;
        writeFileSync(
          temporary,
          readFileSync(file, 'utf8').replace(/packageVersion: .*/, `packageVersion: ${version}`),
        );
        renameSync(temporary, file);
      };
      for (const version of ['0.2.0', '0.3.0']) {
        saveByRename(version);
        await until(() =>
          readFileSync(path.join(packageDir, 'package.json'), 'utf8').includes(`"version": "${version}"`),
        );
      }
    } finally {
      child.kill('SIGINT');
    }
  });
});
