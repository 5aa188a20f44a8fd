import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { startMockServer } from '../mock/index.js';
import { AlmaDailyLimitError, createClient, type AlmaClient, type OperationSpec } from '../runtime/index.js';
import { areasYaml, REPO, SHARED_SPECS, tempDir } from './helpers/specs.js';

/** Every failure a user can cause ends with one message saying what and what to do, a non-zero exit, never a stack. */
const CLI = path.join(REPO, 'bin/alma-codegen.js');
const cli = (args: string[], cwd = REPO) =>
  promisify(execFile)(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const STACK = /^\s+at /m;

function project(extra = ''): { dir: string; file: string } {
  const dir = tempDir('alma-project-');
  const file = path.join(dir, 'alma-codegen.yaml');
  writeFileSync(
    file,
    `specDir: ${JSON.stringify(SHARED_SPECS)}\noutput:\n  dir: out\n  packageName: alma-client\n${areasYaml(['users'])}${extra}`,
  );
  return { dir, file };
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const e of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, e.name);
      if (e.isDirectory()) walk(rel);
      else files[rel] = readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return files;
}

describe('failures are messages', () => {
  test('mock on a port in use names the port and suggests --port 0', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const result = await cli(['--config', project().file, 'mock', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain('--port 0');
      expect(result.stderr).not.toMatch(STACK);
    } finally {
      busy.close();
    }
  });

  test('generate into a folder that cannot be written: the path, the fix, and the previous output byte-identical', async () => {
    const { dir, file } = project();
    expect((await cli(['--config', file, 'generate'])).code).toBe(0);
    const packageDir = path.join(dir, 'out', 'alma-client');
    const before = snapshot(packageDir);
    writeFileSync(
      path.join(dir, 'alma-codegen.yaml'),
      readFileSync(file, 'utf8').replace(
        'packageName: alma-client',
        'packageName: alma-client\n  packageVersion: 2.0.0',
      ),
    );
    // Immutable (root included): nothing in it may be replaced, renamed or removed.
    execFileSync('chattr', ['+i', packageDir]);
    try {
      const result = await cli(['--config', file, 'generate']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot write .*alma-client.*: permission denied\n {2}fix: /);
      expect(result.stderr).not.toMatch(STACK);
      const json = await cli(['--config', file, 'generate', '--json']);
      expect(JSON.parse(json.stdout)).toEqual({
        error: expect.objectContaining({
          name: 'EnvironmentError',
          problem: expect.stringContaining('permission denied'),
          fix: expect.any(String),
        }),
      });
    } finally {
      execFileSync('chattr', ['-i', packageDir]);
    }
    expect(snapshot(packageDir)).toEqual(before);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['alma-client']);
    // Once writable, the change goes in whole.
    expect((await cli(['--config', file, 'generate'])).code).toBe(0);
    expect(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).toContain('"version": "2.0.0"');
  });

  test('a reader that stops early (| head -1) ends the output quietly', async () => {
    const child = spawn(
      process.execPath,
      [CLI, '--config', path.join(REPO, 'alma-codegen.yaml'), 'convert', '--list-types'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  test('bad options: a message and a fix', async () => {
    const { file } = project();
    const port = await cli(['--config', file, 'mock', '--port', 'eighty']);
    expect(port).toMatchObject({ code: 1, stderr: expect.stringContaining('--port must be a port number') });
    expect(port.stderr).toContain('fix: ');
  });
});

describe('configuration', () => {
  test('is found in a folder above the working one; init writes one that loads, and never replaces one', async () => {
    const dir = tempDir('alma-init-');
    const none = await cli(['check'], dir);
    expect(none).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no alma-codegen.yaml here or in any folder above'),
    });
    expect(none.stderr).toContain('alma-codegen init');
    expect((await cli(['init', '--areas', 'users', '--spec-dir', SHARED_SPECS], dir)).code).toBe(0);
    const text = readFileSync(path.join(dir, 'alma-codegen.yaml'), 'utf8');
    expect(text).toMatch(/^# alma-codegen configuration/);
    expect(text).toContain('url: https://developers.exlibrisgroup.com/wp-content/uploads/alma/openapi/users.json');
    expect(await cli(['init'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    const nested = path.join(dir, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    expect((await cli(['generate', '--quiet'], nested)).code).toBe(0);
    expect(existsSync(path.join(dir, 'generated', 'alma-client', 'src', 'users.ts'))).toBe(true);
    expect(await cli(['check'], nested)).toMatchObject({ code: 0, stdout: expect.stringContaining('up to date') });
  });

  test('startMockServer({ config }) applies the file’s mock section; the banner names the keys', async () => {
    const { file } = project(
      'mock:\n  perSecondLimit: 7\n  dailyBudget: 50\n  keys:\n    - key: file-key\n      plan: read-only\n',
    );
    const mock = await startMockServer({ config: file });
    try {
      expect(mock.banner).toContain('file-key (read-only)');
      expect(mock.banner).toContain('7 calls/s, 50 a day');
      const answer = await fetch(`${mock.url}/almaws/v1/users/user1`, {
        headers: { Authorization: 'apikey file-key' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-exl-api-remaining')).toBe('49');
      // Options passed win over the file.
      const other = await startMockServer({ config: file, keys: [{ key: 'given' }] });
      expect(other.banner).toContain('given (read-write)');
      await other.close();
    } finally {
      await mock.close();
    }
  });
});

const getUserOperation = {
  name: 'getUser',
  method: 'GET',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 200,
} as const satisfies OperationSpec;
const getUser = (client: AlmaClient, params: { userId: string }) =>
  client.request<{ primary_id?: string }>(getUserOperation, params);

describe('the client’s limiter and budget follow the server', () => {
  test('a spent daily budget on one server does not refuse calls to another with the same key; a local refusal says nothing was sent', async () => {
    const config = project().file;
    const first = await startMockServer({ config, dailyBudget: 1, keys: [{ key: 'same-key' }] });
    const second = await startMockServer({ config, keys: [{ key: 'same-key' }] });
    try {
      const alma = createClient({ apiKey: 'same-key', baseUrl: first.url, retry: false });
      await getUser(alma, { userId: 'user1' });
      await expect(getUser(alma, { userId: 'user1' })).rejects.toThrow(AlmaDailyLimitError);
      const refused = await getUser(alma, { userId: 'user1' }).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(AlmaDailyLimitError);
      expect((refused as Error).message).toMatch(/^getUser was not sent: DAILY_THRESHOLD/);
      expect((refused as Error).message).not.toContain('HTTP 0');
      const elsewhere = createClient({ apiKey: 'same-key', baseUrl: second.url, retry: false });
      expect((await getUser(elsewhere, { userId: 'user1' })).primary_id).toBe('user1');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
