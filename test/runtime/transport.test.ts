import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createClient,
  REGIONS,
  type ClientOptions,
  type RequestEvent,
  type ResponseEvent,
} from '../../runtime/client.js';
import {
  AlmaAbortError,
  AlmaConfigError,
  AlmaDecodeError,
  AlmaError,
  AlmaNetworkError,
  AlmaReadOnlyError,
  AlmaTimeoutError,
} from '../../runtime/errors.js';
import type { OperationSpec } from '../../runtime/operation.js';
import { withResponse } from '../../runtime/with-response.js';
import { startServer, type TestServer } from '../helpers/server.js';

const getUser = {
  name: 'getUser',
  method: 'GET',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  queryParams: { view: 'view', expand: 'expand', limit: 'limit', allowed: 'allowed' },
  status: 200,
  responseTypes: ['application/json', 'application/xml'],
} as const satisfies OperationSpec;

const createUser = {
  name: 'createUser',
  method: 'POST',
  path: '/almaws/v1/users',
  status: 200,
  requestTypes: ['application/json', 'application/xml'],
} as const satisfies OperationSpec;
const actOnUser = {
  name: 'actOnUser',
  method: 'POST',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  queryParams: { op: 'op' },
  status: 200,
} as const satisfies OperationSpec;
const updateUser = {
  name: 'updateUser',
  method: 'PUT',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 200,
} as const satisfies OperationSpec;
const deleteUser = {
  name: 'deleteUser',
  method: 'DELETE',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 204,
} as const satisfies OperationSpec;
const createBib = {
  name: 'createBib',
  method: 'POST',
  path: '/almaws/v1/bibs',
  status: 200,
  requestTypes: ['application/xml'],
  responseTypes: ['application/xml'],
} as const satisfies OperationSpec;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.reply(200, '{"primary_id":"jdoe"}');
});

const client = (options: Partial<ClientOptions> = {}) =>
  createClient({ apiKey: 'test-key-1234', baseUrl: server.url, retry: false, institution: randomUUID(), ...options });

describe('keys', () => {
  test('header by default: Authorization: apikey, nothing in the URL', async () => {
    await client().request(getUser, { userId: 'jdoe' });
    expect(server.requests[0]!.headers.authorization).toBe('apikey test-key-1234');
    expect(server.requests[0]!.url).toBe('/almaws/v1/users/jdoe');
  });

  test('query on request: ?apikey=, no Authorization header', async () => {
    await client({ auth: 'query' }).request(getUser, { userId: 'jdoe' });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(server.requests[0]!.url).toBe('/almaws/v1/users/jdoe?apikey=test-key-1234');
  });

  test('an async key provider is asked before each call', async () => {
    let calls = 0;
    const alma = createClient({ baseUrl: server.url, apiKey: async () => `rotating-${++calls}` });
    await alma.request(getUser, { userId: 'a' });
    await alma.request(getUser, { userId: 'b' });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['apikey rotating-1', 'apikey rotating-2']);
  });
});

describe('regions', () => {
  test.each(Object.entries(REGIONS))('%s → %s', async (region, host) => {
    const seen: string[] = [];
    // The request really goes out, to the loopback server; the recorded URL is the regional one.
    const alma = createClient({
      apiKey: 'k',
      region: region as keyof typeof REGIONS,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(String(input).replace(host, server.url), init);
      },
    });
    await alma.request(getUser, { userId: 'jdoe' });
    expect(seen).toEqual([`${host}/almaws/v1/users/jdoe`]);
    expect(server.requests).toHaveLength(1);
  });

  test('cn is on .com.cn; there is no default Alma; an unknown region or an empty base URL is refused', () => {
    expect(REGIONS.cn).toBe('https://api-cn.hosted.exlibrisgroup.com.cn');
    expect(createClient({ apiKey: 'k', region: 'eu' }).baseUrl).toBe(REGIONS.eu);
    expect(() => createClient({ apiKey: 'k', region: 'mars' as 'na' })).toThrow(/unknown region "mars"/);
    // What `baseUrl: process.env.ALMA_URL!` gives when the variable is not set: refused before any request.
    const unset = process.env.ALMA_URL_THAT_IS_NOT_SET;
    expect(() => createClient({ apiKey: 'k', baseUrl: unset! })).toThrowError(AlmaConfigError);
    expect(() => createClient({ apiKey: 'k', baseUrl: unset! })).toThrow(/no Alma to talk to: set region/);
    expect(() => createClient({ apiKey: 'k', baseUrl: '' })).toThrow(/baseUrl must be an http\(s\) URL, got ""/);
    expect(() => createClient({ apiKey: undefined as unknown as string, region: 'eu' })).toThrow(/apiKey is missing/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('requests', () => {
  const cases: {
    name: string;
    format: 'json' | 'xml';
    op: OperationSpec;
    params: object;
    accept: string;
    contentType: string | undefined;
    body: string;
  }[] = [
    {
      name: 'GET json',
      format: 'json',
      op: getUser,
      params: { userId: 'u' },
      accept: 'application/json',
      contentType: undefined,
      body: '',
    },
    {
      name: 'GET xml',
      format: 'xml',
      op: getUser,
      params: { userId: 'u' },
      accept: 'application/xml',
      contentType: undefined,
      body: '',
    },
    {
      name: 'POST json with a body',
      format: 'json',
      op: createUser,
      params: { body: { primary_id: 'x' } },
      accept: 'application/json',
      contentType: 'application/json',
      body: '{"primary_id":"x"}',
    },
    {
      name: 'POST json without a body still has a Content-Type',
      format: 'json',
      op: actOnUser,
      params: { userId: 'u', op: 'refresh' },
      accept: 'application/json',
      contentType: 'application/json',
      body: '',
    },
    {
      name: 'POST xml without a body still has a Content-Type',
      format: 'xml',
      op: actOnUser,
      params: { userId: 'u', op: 'refresh' },
      accept: 'application/xml',
      contentType: 'application/xml',
      body: '',
    },
    {
      name: 'PUT json',
      format: 'json',
      op: updateUser,
      params: { userId: 'u', body: { a: 1 } },
      accept: 'application/json',
      contentType: 'application/json',
      body: '{"a":1}',
    },
    {
      name: 'PUT xml, body as XML text',
      format: 'xml',
      op: updateUser,
      params: { userId: 'u', body: '<user/>' },
      accept: 'application/xml',
      contentType: 'application/xml',
      body: '<user/>',
    },
    {
      name: 'DELETE json',
      format: 'json',
      op: deleteUser,
      params: { userId: 'u' },
      accept: 'application/json',
      contentType: undefined,
      body: '',
    },
    {
      name: 'an XML-only operation uses XML whatever the format',
      format: 'json',
      op: createBib,
      params: { body: '<bib/>' },
      accept: 'application/xml',
      contentType: 'application/xml',
      body: '<bib/>',
    },
  ];
  test.each(cases)('$name', async ({ format, op, params, accept, contentType, body }) => {
    server.reply(204, '');
    await client({ format }).request(op, params);
    const [request] = server.requests;
    expect(request!.method).toBe(op.method);
    expect(request!.headers.accept).toBe(accept);
    expect(request!.headers['content-type']).toBe(contentType);
    expect(request!.body).toBe(body);
  });

  test('path parameters are encoded; query values serialised as Alma reads them', async () => {
    await client({ lang: 'fr' }).request(getUser, {
      userId: 'a b/c?d#é',
      view: 'brief',
      expand: ['loans', 'fees'],
      limit: 10,
      allowed: false,
    });
    expect(server.requests[0]!.url).toBe(
      '/almaws/v1/users/a%20b%2Fc%3Fd%23%C3%A9?view=brief&expand=loans%2Cfees&limit=10&allowed=false&lang=fr',
    );
  });

  test('a missing path parameter is refused before any call', async () => {
    await expect(client().request(getUser, { userId: '' })).rejects.toThrow(/path parameter userId is required/);
    expect(server.requests).toHaveLength(0);
  });

  test('per-call headers, User-Agent; a per-call Authorization cannot replace the key', async () => {
    await client({ userAgent: 'my-app/1.0' }).request(
      getUser,
      { userId: 'u' },
      { headers: { 'X-Trace': 't1', Authorization: 'apikey other' } },
    );
    expect(server.requests[0]!.headers).toMatchObject({
      'x-trace': 't1',
      'user-agent': 'my-app/1.0',
      authorization: 'apikey test-key-1234',
    });
  });

  test('readOnly refuses POST, PUT and DELETE locally, with nothing sent', async () => {
    const alma = client({ readOnly: true });
    for (const [op, params] of [
      [createUser, {}],
      [updateUser, { userId: 'u' }],
      [deleteUser, { userId: 'u' }],
    ] as const) {
      await expect(alma.request(op, params)).rejects.toThrow(AlmaReadOnlyError);
    }
    await expect(alma.request(createUser, {})).rejects.toThrow(
      /createUser \(POST\) was not sent: the client is read-only/,
    );
    expect(server.requests).toHaveLength(0);
    await alma.request(getUser, { userId: 'u' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('responses', () => {
  test('204 gives undefined', async () => {
    server.reply(204, '');
    await expect(client().request(deleteUser, { userId: 'u' })).resolves.toBeUndefined();
  });

  test('JSON labelled XML is read as JSON', async () => {
    server.reply(200, '{"primary_id":"jdoe"}', 'application/xml');
    await expect(client().request(getUser, { userId: 'u' })).resolves.toEqual({ primary_id: 'jdoe' });
  });

  test('malformed JSON is an AlmaDecodeError', async () => {
    server.reply(200, '{"primary_id": ');
    await expect(client().request(getUser, { userId: 'u' })).rejects.toThrow(AlmaDecodeError);
  });

  test('an HTML page with status 200 is an AlmaDecodeError, not data', async () => {
    server.reply(200, '<!DOCTYPE html><html><title>Login</title></html>', 'application/json');
    await expect(client().request(getUser, { userId: 'u' })).rejects.toThrow(/expected a JSON body, got an HTML page/);
  });

  test('withResponse over a function that never calls Alma rejects with an AlmaError', async () => {
    const error = await withResponse(async () => 'nothing', client(), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaError);
    expect(error).toMatchObject({ message: 'withResponse: the function did not call Alma' });
  });

  test('status, headers and X-Exl-Api-Remaining with the result, and in the hooks', async () => {
    server.reply(200, '{"primary_id":"jdoe"}', 'application/json', { 'X-Exl-Api-Remaining': '74211' });
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const alma = client({ auth: 'query', onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) });
    const { data, response } = await withResponse(
      (c, p: { userId: string }, o) => c.request<{ primary_id: string }>(getUser, p, o),
      alma,
      { userId: 'jdoe' },
    );
    expect(data).toEqual({ primary_id: 'jdoe' });
    expect(response).toMatchObject({
      status: 200,
      remaining: 74211,
      url: `${server.url}/almaws/v1/users/jdoe?apikey=REDACTED`,
    });
    expect(response.headers['x-exl-api-remaining']).toBe('74211');
    expect(requests).toEqual([
      {
        operation: 'getUser',
        method: 'GET',
        url: `${server.url}/almaws/v1/users/jdoe?apikey=REDACTED`,
        headers: { Accept: 'application/json' },
      },
    ]);
    expect(responses[0]).toMatchObject({ operation: 'getUser', status: 200, remaining: 74211 });
  });
});

describe('timeouts, aborts and the network', () => {
  test('a slow answer past the timeout is an AlmaTimeoutError', async () => {
    server.handle((_, res) => void setTimeout(() => res.end('{}'), 500));
    const started = Date.now();
    await expect(client({ timeoutMs: 60_000 }).request(getUser, { userId: 'u' }, { timeoutMs: 80 })).rejects.toThrow(
      AlmaTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(450);
  });

  test('an abort by the caller is an AlmaAbortError, not a timeout', async () => {
    server.handle((_, res) => void setTimeout(() => res.end('{}'), 500));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client({ timeoutMs: 5_000 })
      .request(getUser, { userId: 'u' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaAbortError);
    expect(error).not.toBeInstanceOf(AlmaTimeoutError);
  });

  test('an already aborted signal sends nothing', async () => {
    const error = await client()
      .request(getUser, { userId: 'u' }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaAbortError);
    expect(server.requests).toHaveLength(0);
  });

  test('a refused connection is an AlmaNetworkError with its code', async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = await createClient({ apiKey: 'k', baseUrl: url })
      .request(getUser, { userId: 'u' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaNetworkError);
    expect((error as AlmaNetworkError).causeCode).toBe('ECONNREFUSED');
  });
});

describe('the size of an XML answer', () => {
  test('over maxDocumentBytes: a decode error that names the option; a larger one reads it', async () => {
    const users = `<user><primary_id>jdoe</primary_id><note>${'x'.repeat(4096)}</note></user>`;
    server.reply(200, users, 'application/xml');
    const refused = await client({ format: 'xml', maxDocumentBytes: 1024 })
      .request(getUser, { userId: 'jdoe' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AlmaDecodeError);
    expect(String(refused)).toMatch(
      /over the limit of maxDocumentBytes \(1024 bytes\); pass a larger maxDocumentBytes/,
    );
    server.reply(200, users, 'application/xml');
    expect(await client({ format: 'xml', maxDocumentBytes: 8192 }).request(getUser, { userId: 'jdoe' })).toMatchObject({
      primary_id: 'jdoe',
    });
  });
});
