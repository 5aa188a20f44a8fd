import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { REPO } from './helpers/specs.js';

const run = promisify(execFile);

interface PackageJson {
  exports: Record<
    string,
    { import: { types: string; default: string }; require: { types: string; default: string } } | string
  >;
  sideEffects: boolean;
}

describe('examples/consumer', () => {
  test('installs the packed client and passes its own tests against the mock, ESM and CommonJS, JSON and XML', async () => {
    const { stdout } = await run('npm', ['run', 'example'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
    const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(stdout)?.[1]);
    expect({ pass: count('pass'), fail: count('fail') }).toEqual({ pass: 19, fail: 0 });
    expect(stdout).toMatch(/^ok \d+ - the patron tools, JSON on the wire$/m);
    expect(stdout).toMatch(/^ok \d+ - the patron tools, XML on the wire$/m);
    expect(stdout).toMatch(/^ok \d+ - the catalogue tools, JSON on the wire$/m);
    expect(stdout).toMatch(/^ok \d+ - the catalogue tools, XML on the wire$/m);
    expect(stdout).toMatch(/^ok \d+ - item policies from a CSV, as a bulk run$/m);
    expect(stdout).toMatch(/^ok \d+ - the webhook listener hears a job end and an item change from the mock, signed$/m);
    expect(stdout).toMatch(/^ok \d+ - require\(\) gives the CommonJS build/m);

    // What was installed is the tarball's content: built, with a subpath per area and no side effects.
    const installed = path.join(REPO, 'examples/consumer/node_modules/alma-client');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as PackageJson;
    expect(manifest.sideEffects).toBe(false);
    expect(Object.keys(manifest.exports)).toEqual([
      '.',
      './runtime',
      './marc',
      './bulk',
      './webhooks',
      './xml',
      './openapi',
      './acq',
      './analytics',
      './bibs',
      './conf',
      './courses',
      './electronic',
      './partners',
      './users',
      './tasklists',
      './package.json',
    ]);
    for (const entry of Object.values(manifest.exports)) {
      if (typeof entry === 'string') continue;
      for (const file of [entry.import.types, entry.import.default, entry.require.types, entry.require.default])
        expect(() => readFileSync(path.join(installed, file))).not.toThrow();
    }
    expect(readFileSync(path.join(installed, 'dist/cjs/package.json'), 'utf8')).toContain('"commonjs"');
    expect(readFileSync(path.join(installed, 'dist/cjs/users.js'), 'utf8')).toContain('exports.getUser = getUser');
    expect(readFileSync(path.join(installed, 'dist/esm/users.js'), 'utf8')).toMatch(/^export function getUser\(/m);
  }, 180_000);
});
