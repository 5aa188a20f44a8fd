import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { colourEnabled, paint } from '../generator/console.js';
import { REPO, repoTempDir, SHARED_SPECS } from './helpers/specs.js';

const run = promisify(execFile);
const CLI = path.join(REPO, 'bin/alma-codegen.js');
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what is checked
const ANSI = /\u001b\[/;

function config(): string {
  const dir = repoTempDir('cli-');
  const file = path.join(dir, 'alma-codegen.yaml');
  const areas = ['conf', 'users'];
  writeFileSync(
    file,
    `specDir: ${JSON.stringify(SHARED_SPECS)}\noutput:\n  dir: ${JSON.stringify(path.join(dir, 'out'))}\n  packageName: alma-client\nareas:\n${areas.map((a) => `  ${a}:\n    url: https://developers.exlibrisgroup.com/wp-content/uploads/alma/openapi/${a}.json`).join('\n')}\n`,
  );
  return file;
}

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });

describe('the CLI', () => {
  test('--help of every command shows an example', async () => {
    const { stdout } = await cli(['--help']);
    const commands = [...stdout.matchAll(/^ {2}([a-z]+)(?: \[options\])?/gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands).toEqual(
      expect.arrayContaining(['generate', 'check', 'sync', 'diff', 'bundle', 'convert', 'mock', 'build', 'pack']),
    );
    for (const command of commands) {
      const help = (await cli([command, '--help'])).stdout;
      expect(help, command).toMatch(/Examples?:\n\s+\$ alma-codegen|Example, in/);
    }
  });

  test('generate --json gives one JSON document; --quiet prints nothing; no colour when not on a terminal', async () => {
    const file = config();
    const first = await cli(['--config', file, 'generate', '--json']);
    const result = JSON.parse(first.stdout) as {
      operations: number;
      upToDate: boolean;
      written: string[];
      unchangedAreas: string[];
    };
    expect(result).toMatchObject({ operations: 110, upToDate: false, unchangedAreas: [] });
    expect(result.written).toEqual(expect.arrayContaining(['src/users.ts', 'src/conf.ts', 'package.json']));
    expect(first.stderr).toBe('');
    const again = await cli(['--config', file, 'generate', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ upToDate: true, written: [] });
    expect(await cli(['--config', file, 'generate', '--quiet', '--force'])).toMatchObject({ stdout: '', stderr: '' });
    const human = await cli(['--config', file, 'generate', '--force']);
    expect(human.stdout).toMatch(/^area\s+operations\s+fully typed\s+json-schema\s+xsd\s+derived\s+file\s+untyped$/m);
    expect(human.stdout).not.toMatch(ANSI);
    expect((await cli(['--config', file, 'generate'], { FORCE_COLOR: '1' })).stdout).toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what is checked
      /\u001b\[32mup to date\u001b\[39m/,
    );
    expect(JSON.parse((await cli(['--config', file, 'check', '--json'])).stdout)).toEqual({
      upToDate: true,
      reasons: [],
    });
  }, 60_000);

  test.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '' }, false],
  ] as const)('colour on %o with %o: %s', (stream, env, want) => {
    expect(colourEnabled(stream, env)).toBe(want);
    expect(ANSI.test(paint('red', 'x', colourEnabled(stream, env)))).toBe(want);
  });
});
