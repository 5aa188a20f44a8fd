import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../generator/config.js';
import { syncSpecs, SyncError, type Lock } from '../../generator/specs/sync.js';
import { diff } from '../../generator/api.js';
import { ALL_AREAS, areaSpecFileName, areasYaml, scratchSpecs, tempDir } from '../helpers/specs.js';

/** A static server over a copy of the spec folder, with ETags and 304s, recording requests; `fail` breaks a path. */
async function staticServer(root: string, fail?: (path: string, served: number) => boolean) {
  const requests: { path: string; status: number; conditional: boolean }[] = [];
  let served = 0;
  const server: Server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/+/, '');
    const file = path.join(root, rel);
    const conditional = req.headers['if-none-match'] !== undefined;
    const answer = (status: number, body?: Buffer, headers: Record<string, string> = {}) => {
      requests.push({ path: rel, status, conditional });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (fail?.(rel, served)) return answer(500);
    if (!file.startsWith(root) || !existsSync(file)) return answer(404);
    served++;
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, undefined, { ETag: etag });
    answer(200, body, { ETag: etag, 'Content-Type': 'application/json' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function configIn(dir: string) {
  const file = path.join(dir, 'alma-codegen.yaml');
  const text = `output:\n  dir: out\n  packageName: alma-client\n${areasYaml(ALL_AREAS)}`;
  writeFileSync(file, text);
  return parseConfig(text, file, {});
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('alma-codegen sync', () => {
  test('downloads every spec, schema and XSD over HTTP, records sha256 in the lock, then asks conditionally', async () => {
    const mirror = scratchSpecs();
    const server = await staticServer(mirror);
    servers.push(server);
    const project = tempDir('alma-sync-');
    const config = configIn(project);
    const first = await syncSpecs({ config, from: server.url });
    const cache = path.join(project, 'specs', 'cache');
    const lock = JSON.parse(readFileSync(path.join(project, 'specs', 'alma.lock.json'), 'utf8')) as Lock;
    // Every area, every present schema file (the whole conf area, and the rest they reach) and the XSDs that exist.
    expect(
      readdirSync(cache)
        .filter((f) => /\.(json|yaml)$/.test(f))
        .sort(),
    ).toEqual(ALL_AREAS.map(areaSpecFileName).sort());
    expect(readdirSync(path.join(cache, 'schemas')).sort()).toEqual(readdirSync(path.join(mirror, 'schemas')).sort());
    expect(readdirSync(path.join(cache, 'xsd')).length).toBeGreaterThanOrEqual(25);
    for (const [file, entry] of Object.entries(lock.files)) {
      expect(entry.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(path.join(cache, file)))
          .digest('hex'),
      );
      expect(entry.sha256).toBe(
        createHash('sha256')
          .update(readFileSync(path.join(mirror, file)))
          .digest('hex'),
      );
      expect(entry.url).toBe(`${server.url}${file}`);
    }
    expect(first.changed.length).toBe(Object.keys(lock.files).length);
    expect(first.absent.length).toBeGreaterThan(0);

    server.requests.length = 0;
    const second = await syncSpecs({ config, from: server.url });
    expect(second.changed).toEqual([]);
    expect(second.notModified.length).toBe(Object.keys(lock.files).length);
    expect(server.requests.filter((r) => r.status !== 404).every((r) => r.conditional && r.status === 304)).toBe(true);
    expect(existsSync(path.join(project, 'specs', 'previous', 'users.json'))).toBe(true);
    // After a sync, diff compares the specs it replaced with those it downloaded, with no arguments.
    const changes = await diff({ config });
    expect(changes).toMatchObject({
      old: path.join(project, 'specs', 'previous'),
      new: cache,
      changes: [],
      breaking: 0,
    });
    // The lock names files by where they came from; a local source relative to the lock, so it can be committed.
    const local = await syncSpecs({ config, from: mirror });
    expect(local.lock.files['users.json']!.url).toBe(
      path.relative(path.join(project, 'specs'), path.join(mirror, 'users.json')),
    );
  });

  test('a download that fails half-way leaves the good cache and the lock as they were', async () => {
    const mirror = scratchSpecs();
    const good = await staticServer(mirror);
    servers.push(good);
    const project = tempDir('alma-sync-');
    const config = configIn(project);
    await syncSpecs({ config, from: good.url });
    const lockBefore = readFileSync(path.join(project, 'specs', 'alma.lock.json'), 'utf8');
    const usersBefore = readFileSync(path.join(project, 'specs', 'cache', 'users.json'), 'utf8');

    writeFileSync(path.join(mirror, 'users.json'), usersBefore.replace('Get user details', 'Get user details (new)'));
    const broken = await staticServer(mirror, (rel, served) => served > 40 && rel.startsWith('schemas/rest_s'));
    servers.push(broken);
    const error = await syncSpecs({ config, from: broken.url, retries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).failures.length).toBeGreaterThan(0);
    expect((error as SyncError).message).toMatch(/schemas\/rest_s\w*\.json: HTTP 500/);
    expect(readFileSync(path.join(project, 'specs', 'alma.lock.json'), 'utf8')).toBe(lockBefore);
    expect(readFileSync(path.join(project, 'specs', 'cache', 'users.json'), 'utf8')).toBe(usersBefore);
    expect(readdirSync(path.join(project, 'specs')).sort()).toEqual(['alma.lock.json', 'cache']);
  });

  test('from a directory, and a timeout names the file', async () => {
    const project = tempDir('alma-sync-');
    const config = configIn(project);
    const fromDir = await syncSpecs({ config, from: scratchSpecs() });
    expect(Object.keys(fromDir.lock.files)).toContain('schemas/rest_library.json');
    const hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    servers.push({
      close: () =>
        new Promise<void>((r) => {
          hanging.closeAllConnections();
          hanging.close(() => r());
        }),
    });
    const error = await syncSpecs({
      config,
      from: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`,
      timeoutMs: 100,
      retries: 0,
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/acq\.json: timed out after 100 ms/);
  });
});
