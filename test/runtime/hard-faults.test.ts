import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from '../../runtime/client.js';
import { AlmaDecodeError } from '../../runtime/errors.js';
import { firstInvalidUtf8 } from '../../runtime/xml/utf8.js';
import type { OperationSpec } from '../../runtime/operation.js';
import { startServer } from '../helpers/server.js';

/** Answers that must not pass silently (issue #30): bad bytes, too many bytes, a key that follows a redirect. */
const getUser: OperationSpec = {
  name: 'getUser',
  area: 'users',
  method: 'GET',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 200,
};

let server: Awaited<ReturnType<typeof startServer>>;
let other: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
  other = await startServer();
});
afterAll(async () => {
  await server.close();
  await other.close();
});

const client = (extra: object = {}) =>
  createClient({ apiKey: 'secret-key', baseUrl: server.url, retry: false, rateLimit: false, ...extra });

describe('invalid UTF-8 is refused, never replaced', () => {
  test.each([
    [
      'JSON',
      'application/json',
      Buffer.concat([Buffer.from('{"primary_id": "j'), Buffer.from([0xff, 0xfe]), Buffer.from('doe"}')]),
    ],
    [
      'XML',
      'application/xml',
      Buffer.concat([
        Buffer.from('<user><primary_id>j'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('doe</primary_id></user>'),
      ]),
    ],
  ])('%s: a typed error naming the byte offset', async (_name, type, bytes) => {
    server.handle((_, res) => {
      res.writeHead(200, { 'Content-Type': type });
      res.end(bytes);
    });
    const error = await client({ format: type.endsWith('json') ? 'json' : 'xml' })
      .request(getUser, { userId: 'jdoe' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaDecodeError);
    const offset = type.endsWith('json') ? 17 : 19;
    expect((error as Error).message).toMatch(new RegExp(`not valid UTF-8 at byte ${offset} \\(0x`));
  });

  test.each([
    [[0x61, 0x62], 2],
    [[0xe2, 0x82, 0xac], 3],
    [[0x61, 0xe2, 0x82], 1],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf0, 0x9f, 0x93, 0x9a, 0xc0, 0x80], 4],
  ])('firstInvalidUtf8(%j) = %i', (bytes, want) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(want);
  });
});

describe('size limits apply while the body streams', () => {
  test('a Content-Length over the limit is refused before the body is read', async () => {
    server.handle((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(200 * 1024 * 1024) });
      res.write('{"a":"');
      // The rest never comes: the client must not wait for it.
    });
    const error = await client({ maxDocumentBytes: 1024 * 1024 })
      .request(getUser, { userId: 'big' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaDecodeError);
    expect((error as Error).message).toMatch(
      /209715200 bytes \(Content-Length\), over the limit of maxDocumentBytes \(1048576 bytes\)/,
    );
  });

  test('a body without a length stops at the limit: the server is cut off long before 200 MB', async () => {
    let sent = 0;
    let closed: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      closed = resolve;
    });
    server.handle((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => closed());
      pump();
    });
    const error = await client({ maxDocumentBytes: 1024 * 1024 })
      .request(getUser, { userId: 'stream' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlmaDecodeError);
    expect((error as Error).message).toMatch(/over 1048576 bytes, over the limit of maxDocumentBytes/);
    await done;
    // What the socket buffers beyond the limit, not the 200 MB.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('the key never follows a redirect to another origin', () => {
  test.each(['header', 'query'] as const)('auth: %s', async (auth) => {
    other.handle((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"primary_id":"jdoe"}');
    });
    server.handle((req, res) => {
      const target = req.url.includes('same')
        ? `${server.url}/almaws/v1/users/jdoe`
        : `${other.url}/almaws/v1/users/jdoe`;
      if (req.url.includes('/users/same') || req.url.includes('/users/away')) {
        res.writeHead(302, { Location: target });
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"primary_id":"jdoe"}');
    });
    const alma = client({ auth });
    const before = { server: server.requests.length, other: other.requests.length };
    expect(await alma.request(getUser, { userId: 'same' })).toEqual({ primary_id: 'jdoe' });
    const followed = server.requests.at(-1)!;
    // Within the origin, the key goes along.
    if (auth === 'header') expect(followed.headers.authorization).toBe('apikey secret-key');
    else expect(followed.url).toContain('apikey=secret-key');

    expect(await alma.request(getUser, { userId: 'away' })).toEqual({ primary_id: 'jdoe' });
    const elsewhere = other.requests.slice(before.other);
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.headers.authorization).toBeUndefined();
    expect(elsewhere[0]!.url).not.toContain('secret-key');
    expect(server.requests.length - before.server).toBe(3);
  });
});
