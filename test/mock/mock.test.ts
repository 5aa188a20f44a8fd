import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, onTestFinished } from 'vitest';
import { loadConfig, type Config } from '../../generator/config.js';
import { startMockServer, type MockOptions, type MockServer } from '../../mock/index.js';
import { MAX_BODY_BYTES } from '../../mock/server.js';
import { REPO } from '../helpers/specs.js';

const config: Config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
const KEYS: MockOptions['keys'] = [
  { key: 'rw-key', plan: 'read-write', institution: 'inst-a' },
  { key: 'ro-key', plan: 'read-only', institution: 'inst-a' },
  { key: 'guest-key', plan: 'guest', institution: 'guest' },
];

async function call(
  mock: MockServer,
  method: string,
  path: string,
  init: { key?: string | null; query?: boolean; accept?: string; contentType?: string | null; body?: string } = {},
) {
  const url = new URL(mock.url + path);
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? 'rw-key' : init.key;
  if (key && init.query) url.searchParams.set('apikey', key);
  else if (key) headers.Authorization = `apikey ${key}`;
  if (init.accept) headers.Accept = init.accept;
  if (init.contentType !== null && (method === 'POST' || method === 'PUT'))
    headers['Content-Type'] = init.contentType ?? 'application/json';
  const response = await fetch(url, { method, headers, body: init.body });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('the mock server', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ config, keys: KEYS, seed: 7, size: 12, perSecondLimit: 10_000 });
  });
  afterAll(() => mock.close());

  test('routes every operation of the specs, and the supplementary one', async () => {
    const { buildModel } = await import('../../generator/ir/build.js');
    const { DocumentStore } = await import('../../generator/load/documents.js');
    const model = buildModel(config, new DocumentStore(config.specDir));
    const ops = model.areas.flatMap((a) => a.operations);
    expect(ops).toHaveLength(315);
    const statuses: Record<number, number> = {};
    for (const op of ops) {
      const path = op.path.replace(/\{[^}]+\}/g, 'x1');
      const withBody = op.method === 'POST' || op.method === 'PUT';
      const response = await call(mock, op.method, path, {
        accept: 'application/json',
        body: withBody ? '{}' : undefined,
      });
      expect(response.text, `${op.method} ${op.path}`).not.toContain('ROUTING_ERROR');
      // A JSON body to an XML-only operation is refused as Alma refuses it.
      if (withBody && op.wireFormat === 'xml')
        expect(response.status, `${op.method} ${op.path}`).toBe(
          op.errorCodes.some((c) => c.code === '60105') ? 400 : 415,
        );
      else statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
    expect(
      Object.keys(statuses)
        .map(Number)
        .every((s) => [200, 204, 400].includes(s)),
    ).toBe(true);
  });

  test('XML by default; JSON on Accept or format=json; the remaining budget on every answer', async () => {
    const xml = await call(mock, 'GET', '/almaws/v1/users/user1');
    expect(xml.headers.get('content-type')).toMatch(/application\/xml/);
    expect(xml.text).toMatch(
      /^<\?xml[^>]*><user><record_type desc="Public">PUBLIC<\/record_type><primary_id>user1<\/primary_id>/,
    );
    const json = await call(mock, 'GET', '/almaws/v1/users/user1', { accept: 'application/json' });
    expect(json.json()).toMatchObject({ primary_id: 'user1', status: { value: 'ACTIVE' } });
    expect((await call(mock, 'GET', '/almaws/v1/users/user1?format=json')).json().primary_id).toBe('user1');
    expect(Number(json.headers.get('x-exl-api-remaining'))).toBeGreaterThan(0);
  });

  test('keys: by header or query; an unknown key is HTTP 400 UNAUTHORIZED, as the gateway answers it', async () => {
    expect(
      (await call(mock, 'GET', '/almaws/v1/users/user1', { query: true, accept: 'application/json' })).status,
    ).toBe(200);
    for (const key of ['nope', null]) {
      const refused = await call(mock, 'GET', '/almaws/v1/users/user1', { key, accept: 'application/json' });
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({
        errorList: {
          error: [
            { errorCode: 'UNAUTHORIZED', errorMessage: 'API-key not defined or not configured to allow this API.' },
          ],
        },
      });
      const xml = await call(mock, 'GET', '/almaws/v1/users/user1', { key, accept: 'application/xml' });
      expect(xml.status).toBe(400);
      expect(xml.text).toContain('<errorCode>UNAUTHORIZED</errorCode>');
    }
  });

  test.each(['ro-key', 'guest-key'])('a %s may read but not write', async (key) => {
    expect((await call(mock, 'GET', '/almaws/v1/conf/libraries', { key, accept: 'application/json' })).status).toBe(
      200,
    );
    for (const [method, path] of [
      ['POST', '/almaws/v1/conf/sets'],
      ['PUT', '/almaws/v1/users/user1'],
      ['DELETE', '/almaws/v1/users/user1'],
    ] as const) {
      // Alma's gateway answers a key not configured for a method as for an unknown one: 400 UNAUTHORIZED.
      const refused = await call(mock, method, path, { key, accept: 'application/json', body: '{}' });
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ errorList: { error: [{ errorCode: 'UNAUTHORIZED' }] } });
    }
    expect((await call(mock, 'GET', '/almaws/v1/users/user1', { accept: 'application/json' })).status).toBe(200);
  });

  test('POST and PUT without Content-Type are refused, even without a body', async () => {
    const refused = await call(mock, 'POST', '/almaws/v1/users/user1?op=refresh', {
      contentType: null,
      accept: 'application/json',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Content-Type');
  });

  test('parameters and bodies are validated against the spec', async () => {
    const badLimit = await call(mock, 'GET', '/almaws/v1/users?limit=ten', { accept: 'application/json' });
    expect(badLimit.status).toBe(400);
    expect(badLimit.json()).toMatchObject({
      errorsExist: true,
      errorList: { error: [{ errorMessage: 'Parameter limit must be an integer, got "ten".' }] },
    });
    const badJson = await call(mock, 'POST', '/almaws/v1/conf/sets', { body: '{"name": ', accept: 'application/json' });
    expect(badJson.status).toBe(400);
    const missing = await call(mock, 'POST', '/almaws/v1/conf/libraries/MAIN/locations', {
      body: '{"code":"NONAME"}',
      accept: 'application/json',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/missing mandatory field\(s\) name/);
  });

  test('not found is HTTP 400 with the operation’s own code from the spec', async () => {
    const missing = await call(mock, 'GET', '/almaws/v1/users/nobody', { accept: 'application/json' });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({
      errorList: {
        error: [{ errorCode: '401861', errorMessage: 'User with identifier nobody was not found.' }],
      },
    });
  });

  test('CRUD with swap-all PUT: elements missing from the body are reset', async () => {
    const created = await call(mock, 'POST', '/almaws/v1/conf/sets', {
      body: JSON.stringify({ name: 'Weeding 2026', description: 'to review', note: 'keep' }),
      accept: 'application/json',
    });
    expect(created.status).toBe(200);
    const id = created.json().id as string;
    expect(id).toMatch(/^\d{19}$/);
    expect(
      (await call(mock, 'GET', `/almaws/v1/conf/sets/${id}`, { accept: 'application/json' })).json(),
    ).toMatchObject({ name: 'Weeding 2026', note: 'keep' });
    await call(mock, 'PUT', `/almaws/v1/conf/sets/${id}`, {
      body: JSON.stringify({ name: 'Weeding 2026 (final)' }),
      accept: 'application/json',
    });
    const after = (await call(mock, 'GET', `/almaws/v1/conf/sets/${id}`, { accept: 'application/json' })).json();
    // A single record's link is null in Alma's JSON.
    expect(after).toEqual({ id, name: 'Weeding 2026 (final)', link: null });
    expect((await call(mock, 'DELETE', `/almaws/v1/conf/sets/${id}`)).status).toBe(204);
    expect((await call(mock, 'GET', `/almaws/v1/conf/sets/${id}`, { accept: 'application/json' })).status).toBe(400);
  });

  test('request bodies in XML too', async () => {
    const created = await call(mock, 'POST', '/almaws/v1/conf/sets', {
      contentType: 'application/xml',
      body: '<set><name>From XML</name><type desc="Itemized">ITEMIZED</type></set>',
      accept: 'application/json',
    });
    expect(created.json()).toMatchObject({ name: 'From XML', type: { value: 'ITEMIZED', desc: 'Itemized' } });
  });

  test('lists honour limit and offset and carry total_record_count', async () => {
    const fresh = await startMockServer({ config, keys: KEYS, seed: 7, size: 12 });
    onTestFinished(() => fresh.close());
    const page = (offset: number) =>
      call(fresh, 'GET', `/almaws/v1/users?limit=5&offset=${offset}&order_by=primary_id`, {
        accept: 'application/json',
      }).then((r) => r.json());
    const [first, second, last] = await Promise.all([page(0), page(5), page(10)]);
    expect(first.total_record_count).toBe(12);
    expect((first.user as unknown[]).length).toBe(5);
    expect((second.user as { primary_id: string }[])[0]!.primary_id).toBe('user6');
    expect((last.user as unknown[]).length).toBe(2);
    expect(await page(50)).toEqual({ total_record_count: 12 });
  });

  test('seeded data is deterministic for a seed', async () => {
    const other = await startMockServer({ config, keys: KEYS, seed: 7, size: 12 });
    try {
      const a = await call(mock, 'GET', '/almaws/v1/users/user3', { accept: 'application/json' });
      const b = await call(other, 'GET', '/almaws/v1/users/user3', { accept: 'application/json' });
      expect(a.text).toBe(b.text);
      expect(
        (
          (await call(other, 'GET', '/almaws/v1/bibs?limit=1', { accept: 'application/json' })).json().bib as {
            anies: string[];
          }[]
        )[0]!.anies[0],
      ).toMatch(/^<record><leader>/);
    } finally {
      await other.close();
    }
  });

  test('the log: method, path, key mode and status, never the key', async () => {
    mock.log.clear();
    await call(mock, 'GET', '/almaws/v1/users/user1', { query: true });
    await call(mock, 'GET', '/almaws/v1/users/user1');
    expect(mock.log.entries.map((e) => [e.method, e.path, e.keyMode, e.status, e.institution])).toEqual([
      ['GET', '/almaws/v1/users/user1', 'query', 200, 'inst-a'],
      ['GET', '/almaws/v1/users/user1', 'header', 200, 'inst-a'],
    ]);
    expect(JSON.stringify(mock.log.entries)).not.toContain('rw-key');
  });
});

describe('thresholds', () => {
  test('per second per institution: 429 PER_SECOND_THRESHOLD in the requested format, never more than the limit in any sliding second', async () => {
    const mock = await startMockServer({ config, keys: KEYS, perSecondLimit: 5 });
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          call(mock, 'GET', '/almaws/v1/conf/libraries', { accept: 'application/json' }),
        ),
      );
      const refused = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200)).toHaveLength(5);
      expect(refused).toHaveLength(7);
      expect(refused[0]!.json()).toMatchObject({
        errorList: {
          error: [
            { errorCode: 'PER_SECOND_THRESHOLD', errorMessage: 'HTTP requests are more than allowed per second' },
          ],
        },
      });
      expect(mock.log.maxPerSecond()).toBe(5);
      // Another institution has its own allowance.
      expect((await call(mock, 'GET', '/almaws/v1/conf/libraries', { key: 'guest-key' })).status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  test('the daily budget: X-Exl-Api-Remaining counts down, then DAILY_THRESHOLD', async () => {
    const mock = await startMockServer({ config, keys: KEYS, dailyBudget: 3 });
    try {
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++)
        remaining.push((await call(mock, 'GET', '/almaws/v1/conf/libraries')).headers.get('x-exl-api-remaining'));
      expect(remaining).toEqual(['2', '1', '0']);
      const spent = await call(mock, 'GET', '/almaws/v1/conf/libraries');
      expect(spent.status).toBe(429);
      expect(spent.text).toContain('<errorCode>DAILY_THRESHOLD</errorCode>');
    } finally {
      await mock.close();
    }
  });
});

describe('faults', () => {
  async function withFault(
    kind: NonNullable<MockOptions['faults']>[number]['kind'],
    run: (mock: MockServer) => Promise<void>,
    extra: Partial<NonNullable<MockOptions['faults']>[number]> = {},
  ) {
    const mock = await startMockServer({
      config,
      keys: KEYS,
      faults: [{ kind, probability: 1, route: 'createSet', ...extra }],
    });
    try {
      await run(mock);
    } finally {
      await mock.close();
    }
  }
  const createSet = (mock: MockServer) =>
    call(mock, 'POST', '/almaws/v1/conf/sets', { body: '{"name":"dup?"}', accept: 'application/json' });
  const sets = async (mock: MockServer) =>
    (await call(mock, 'GET', '/almaws/v1/conf/sets', { accept: 'application/json' })).json()
      .total_record_count as number;

  test('a 500 with a web_service_result', () =>
    withFault('error-500', async (mock) => expect((await createSet(mock)).status).toBe(500)));
  test('a 503 gateway HTML page', () =>
    withFault('gateway-503', async (mock) => {
      const r = await createSet(mock);
      expect(r.status).toBe(503);
      expect(r.text).toMatch(/<title>503 Service Temporarily Unavailable<\/title>/);
    }));
  test('a reset before processing: nothing stored', () =>
    withFault('reset-before', async (mock) => {
      const before = await sets(mock);
      await expect(createSet(mock)).rejects.toThrow();
      expect(await sets(mock)).toBe(before);
    }));
  test('a reset after processing: the record exists although the client saw no answer', () =>
    withFault('reset-after', async (mock) => {
      const before = await sets(mock);
      await expect(createSet(mock)).rejects.toThrow();
      expect(await sets(mock)).toBe(before + 1);
      expect(mock.log.entries.find((e) => e.fault === 'reset-after')?.status).toBe(0);
    }));
  test('a slow answer', () =>
    withFault(
      'slow',
      async (mock) => {
        const started = Date.now();
        expect((await createSet(mock)).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      },
      { delayMs: 250 },
    ));
  test('a truncated body', () =>
    withFault('truncated', async (mock) => await expect(createSet(mock)).rejects.toThrow()));
  test('XML labelled as JSON', () =>
    withFault('xml-as-json', async (mock) => {
      const r = await createSet(mock);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
      expect(r.text).toMatch(/^<\?xml/);
    }));
  test('faults apply to their route only, with a seeded probability', async () => {
    const mock = await startMockServer({
      config,
      keys: KEYS,
      seed: 3,
      perSecondLimit: 10_000,
      faults: [{ kind: 'error-500', probability: 0.5, route: 'GET /almaws/v1/conf/libraries' }],
    });
    try {
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await call(mock, 'GET', '/almaws/v1/conf/libraries')).status);
      const failures = statuses.filter((s) => s === 500).length;
      expect(failures).toBeGreaterThan(8);
      expect(failures).toBeLessThan(32);
      expect((await call(mock, 'GET', '/almaws/v1/users/user1')).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});

describe('alma-codegen mock', () => {
  test('serves on the port asked for, answers, and stops on Ctrl-C', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO, 'generator/cli.ts'),
        '--config',
        path.join(REPO, 'alma-codegen.yaml'),
        'mock',
        '--port',
        '0',
      ],
      { cwd: REPO },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /Alma mock on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const response = await fetch(`${url}/almaws/v1/conf/libraries`, {
      headers: { Authorization: 'apikey mock-key', Accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('the mock under bad input', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ config, keys: KEYS, size: 4, perSecondLimit: 10_000 });
  });
  afterAll(() => mock.close());

  test('a body over the gateway limit is refused with 413 REQUEST_TOO_LARGE, not stored', async () => {
    const before = mock.store.all('/almaws/v1/conf/sets').length;
    const big = JSON.stringify({ name: 'huge', description: 'x'.repeat(MAX_BODY_BYTES + 1024) });
    const refused = await call(mock, 'POST', '/almaws/v1/conf/sets', { body: big, accept: 'application/json' }).catch(
      (e: unknown) => e,
    );
    // The mock stops reading: the client sees the 413, or the connection closed under it.
    if (!(refused instanceof Error)) {
      const answer = refused as { status: number; text: string };
      expect(answer.status).toBe(413);
      expect(answer.text).toContain('REQUEST_TOO_LARGE');
    }
    expect(mock.store.all('/almaws/v1/conf/sets').length).toBe(before);
  });

  test('a malformed percent-escape is a 400, not a 500', async () => {
    const answer = await call(mock, 'GET', '/almaws/v1/users/%E0%A4%A', { accept: 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('invalid percent-escape');
  });

  test('a __proto__ key is dropped on the way in: never stored, never served back', async () => {
    const created = await call(mock, 'POST', '/almaws/v1/conf/sets', {
      body: '{"name":"proto","description":"d","__proto__":{"polluted":true},"constructor":{"x":1}}',
      accept: 'application/xml',
    });
    expect(created.status).toBe(200);
    expect(created.text).not.toMatch(/__proto__|<constructor>/);
    const stored = mock.store.all('/almaws/v1/conf/sets').find((s) => s.name === 'proto')!;
    expect(Object.keys(stored)).not.toContain('__proto__');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
