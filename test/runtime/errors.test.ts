import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';
import { createClient, type RequestEvent, type ResponseEvent } from '../../runtime/client.js';
import {
  AlmaApiError,
  AlmaAuthError,
  AlmaDailyLimitError,
  AlmaNotFoundError,
  AlmaRateLimitError,
  AlmaServerError,
  isAlmaError,
  type AlmaErrorDetail,
} from '../../runtime/errors.js';
import type { OperationSpec } from '../../runtime/operation.js';
import { startServer, type TestServer } from '../helpers/server.js';

const getUser = {
  name: 'getUser',
  method: 'GET',
  path: '/almaws/v1/users/{user_id}',
  pathParams: { userId: 'user_id' },
  status: 200,
  errorCodes: ['401861', '60101'],
  notFoundCodes: ['401861'],
} as const satisfies OperationSpec;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function failure(status: number, body: string, contentType: string): Promise<AlmaApiError> {
  server.reply(status, body, contentType);
  // One attempt, and an institution of its own: a daily block or a slowdown must not carry over between cases.
  const error = await createClient({ apiKey: 'k', baseUrl: server.url, retry: false, institution: randomUUID() })
    .request(getUser, { userId: 'jdoe' })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AlmaApiError);
  return error as AlmaApiError;
}

const XML_NS = 'http://com/exlibris/urm/general/xmlbeans';

describe('every error body shape', () => {
  const cases: {
    name: string;
    status: number;
    contentType: string;
    body: string;
    errors: AlmaErrorDetail[];
    code: string;
  }[] = [
    {
      name: 'namespaced XML web_service_result',
      status: 400,
      contentType: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<web_service_result xmlns="${XML_NS}"><errorsExist>true</errorsExist><errorList><error><errorCode>401861</errorCode><errorMessage>User with identifier jdoe was not found.</errorMessage><trackingId>E01-2811195814-ABCDE-AWAE1154567890</trackingId></error></errorList></web_service_result>`,
      errors: [
        {
          code: '401861',
          message: 'User with identifier jdoe was not found.',
          trackingId: 'E01-2811195814-ABCDE-AWAE1154567890',
        },
      ],
      code: '401861',
    },
    {
      name: 'XML with a namespace prefix, two errors, no trackingId, an entity',
      status: 400,
      contentType: 'application/xml',
      body: `<ws:web_service_result xmlns:ws="${XML_NS}"><ws:errorsExist>true</ws:errorsExist><ws:errorList><ws:error><ws:errorCode>60101</ws:errorCode><ws:errorMessage>General Error &amp; more</ws:errorMessage></ws:error><ws:error><ws:errorCode>401861</ws:errorCode><ws:errorMessage>second</ws:errorMessage></ws:error></ws:errorList></ws:web_service_result>`,
      errors: [
        { code: '60101', message: 'General Error & more' },
        { code: '401861', message: 'second' },
      ],
      code: '60101',
    },
    {
      name: 'JSON at the top level, error as an array',
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        errorsExist: true,
        errorList: {
          error: [
            {
              errorCode: '402203',
              errorMessage: 'Input parameters mmsId 9910 is not valid.',
              trackingId: 'E02-2706205445-WZJWP-AWAE1632347523',
            },
          ],
        },
        result: null,
      }),
      errors: [
        {
          code: '402203',
          message: 'Input parameters mmsId 9910 is not valid.',
          trackingId: 'E02-2706205445-WZJWP-AWAE1632347523',
        },
      ],
      code: '402203',
    },
    {
      name: 'JSON wrapped in web_service_result, error as a single object',
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        web_service_result: {
          errorsExist: true,
          errorList: {
            error: { errorCode: 'INVALID_REQUEST', errorMessage: 'Invalid request.', trackingId: 'unknown' },
          },
        },
      }),
      errors: [{ code: 'INVALID_REQUEST', message: 'Invalid request.', trackingId: 'unknown' }],
      code: 'INVALID_REQUEST',
    },
    {
      name: 'JSON wrapped, error as an array, numeric code',
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({
        web_service_result: {
          errorsExist: true,
          errorList: {
            error: [
              {
                errorCode: 'INTERNAL_SERVER_ERROR',
                errorMessage: 'The web server encountered an unexpected condition',
              },
            ],
          },
        },
      }),
      errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'The web server encountered an unexpected condition' }],
      code: 'INTERNAL_SERVER_ERROR',
    },
    {
      name: 'an HTML gateway page',
      status: 503,
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>',
      errors: [],
      code: 'HTTP_503',
    },
    { name: 'plain text', status: 502, contentType: 'text/plain', body: 'Bad Gateway', errors: [], code: 'HTTP_502' },
    { name: 'an empty body', status: 500, contentType: 'application/json', body: '', errors: [], code: 'HTTP_500' },
    {
      name: 'XML labelled as JSON',
      status: 400,
      contentType: 'application/json',
      body: `<web_service_result xmlns="${XML_NS}"><errorsExist>true</errorsExist><errorList><error><errorCode>60101</errorCode><errorMessage>General Error</errorMessage></error></errorList></web_service_result>`,
      errors: [{ code: '60101', message: 'General Error' }],
      code: '60101',
    },
  ];
  test.each(cases)('$name', async ({ status, contentType, body, errors, code }) => {
    const error = await failure(status, body, contentType);
    expect(error.errors).toEqual(errors);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error).toMatchObject({
      operation: 'getUser',
      method: 'GET',
      url: `${server.url}/almaws/v1/users/jdoe`,
      trackingId: errors[0]?.trackingId,
    });
  });

  test('the HTML title and the text make the message', async () => {
    expect(
      (await failure(503, '<html><head><title>503 Service Temporarily Unavailable</title></head></html>', 'text/html'))
        .message,
    ).toContain('503 Service Temporarily Unavailable');
    expect((await failure(502, 'Bad Gateway', 'text/plain')).message).toContain('Bad Gateway');
  });
});

const wsr = (code: string, message: string) =>
  `<web_service_result xmlns="${XML_NS}"><errorsExist>true</errorsExist><errorList><error><errorCode>${code}</errorCode><errorMessage>${message}</errorMessage><trackingId>unknown</trackingId></error></errorList></web_service_result>`;

describe('each error class', () => {
  const cases: { name: string; status: number; body: string; type: typeof AlmaApiError; not?: typeof AlmaApiError }[] =
    [
      {
        name: 'UNAUTHORIZED (as XML, whatever Accept says)',
        status: 400,
        body: wsr('UNAUTHORIZED', 'API-key not defined or not configured to allow this API.'),
        type: AlmaAuthError,
      },
      { name: 'HTTP 401', status: 401, body: '', type: AlmaAuthError },
      { name: 'FORBIDDEN', status: 400, body: wsr('FORBIDDEN', 'Forbidden'), type: AlmaAuthError },
      { name: 'HTTP 403', status: 403, body: '', type: AlmaAuthError },
      {
        name: 'PER_SECOND_THRESHOLD',
        status: 429,
        body: wsr('PER_SECOND_THRESHOLD', 'HTTP requests are more than allowed per second'),
        type: AlmaRateLimitError,
      },
      { name: 'HTTP 429 without a body', status: 429, body: '', type: AlmaRateLimitError },
      {
        name: 'DAILY_THRESHOLD',
        status: 429,
        body: wsr('DAILY_THRESHOLD', 'Daily API Request Threshold has been reached'),
        type: AlmaDailyLimitError,
        not: AlmaRateLimitError,
      },
      {
        name: 'the daily-threshold message under another code',
        status: 400,
        body: wsr('GENERAL_ERROR', 'Daily API Request Threshold has been reached. For details see: …'),
        type: AlmaDailyLimitError,
      },
      { name: 'HTTP 404', status: 404, body: '', type: AlmaNotFoundError },
      {
        name: 'HTTP 400 with a code the spec lists as not found',
        status: 400,
        body: wsr('401861', 'User with identifier X was not found.'),
        type: AlmaNotFoundError,
      },
      { name: 'HTTP 500', status: 500, body: wsr('INTERNAL_SERVER_ERROR', 'Internal error'), type: AlmaServerError },
      {
        name: 'HTTP 400 with another code stays AlmaApiError',
        status: 400,
        body: wsr('60101', 'General Error'),
        type: AlmaApiError,
        not: AlmaNotFoundError,
      },
    ];
  test.each(cases)('$name', async ({ status, body, type, not }) => {
    const error = await failure(status, body, 'application/json');
    expect(error).toBeInstanceOf(type);
    expect(error.name).toBe(type.name);
    if (not) expect(error).not.toBeInstanceOf(not);
  });

  test('a daily limit resets at the next midnight UTC', async () => {
    const error = (await failure(
      429,
      wsr('DAILY_THRESHOLD', 'Daily API Request Threshold has been reached'),
      'application/xml',
    )) as AlmaDailyLimitError;
    const now = new Date();
    expect(error.resetAt.toISOString()).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString(),
    );
  });
});

describe('isAlmaError', () => {
  test('narrows the code to the operation’s codes and the gateway’s', async () => {
    const error: unknown = await failure(400, wsr('401861', 'not found'), 'application/xml');
    const other = { ...getUser, name: 'listUsers' } as const;
    expect(isAlmaError(error)).toBe(true);
    expect(isAlmaError(error, getUser)).toBe(true);
    expect(isAlmaError(error, other)).toBe(false);
    expect(isAlmaError(new Error('x'), getUser)).toBe(false);
    if (isAlmaError(error, getUser)) {
      expectTypeOf(error.code).toEqualTypeOf<'401861' | '60101' | import('../../runtime/errors.js').GatewayErrorCode>();
      expect(error.code).toBe('401861');
    }
  });
});

describe('the API key never leaks', () => {
  /** Every 8-character fragment of the key. */
  const fragments = (key: string) => Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8));

  test.each(['header', 'query'] as const)('in %s mode, through every error path and serialisation', async (auth) => {
    const key = randomBytes(24).toString('base64url');
    const logs: (RequestEvent | ResponseEvent)[] = [];
    const closed = await startServer();
    const closedUrl = closed.url;
    await closed.close();
    const make = (baseUrl: string, extra: object = {}) =>
      createClient({
        apiKey: key,
        baseUrl,
        auth,
        retry: false,
        institution: randomUUID(),
        onRequest: (e) => logs.push(e),
        onResponse: (e) => logs.push(e),
        ...extra,
      });
    const alma = make(server.url);
    const thrown: unknown[] = [];
    const attempt = async (run: () => Promise<unknown>) =>
      thrown.push(
        await run().then(
          () => new Error('expected a failure'),
          (e: unknown) => e,
        ),
      );
    for (const [status, body] of [
      [400, wsr('UNAUTHORIZED', 'API-key not defined')],
      [429, wsr('PER_SECOND_THRESHOLD', 'too many')],
      [429, wsr('DAILY_THRESHOLD', 'Daily API Request Threshold has been reached')],
      [400, wsr('401861', 'not found')],
      [
        400,
        JSON.stringify({ errorsExist: true, errorList: { error: [{ errorCode: '60101', errorMessage: 'general' }] } }),
      ],
      [500, '<html><title>oops</title></html>'],
      [502, 'Bad Gateway'],
      [503, ''],
      [200, '{broken'],
    ] as const) {
      server.reply(status, body, 'application/json');
      await attempt(() => make(server.url).request(getUser, { userId: 'jdoe' }));
    }
    server.handle((_, res) => void setTimeout(() => res.end('{}'), 300));
    await attempt(() => make(server.url).request(getUser, { userId: 'jdoe' }, { timeoutMs: 30 }));
    await attempt(() => make(server.url).request(getUser, { userId: 'jdoe' }, { signal: AbortSignal.timeout(20) }));
    await attempt(() => make(closedUrl).request(getUser, { userId: 'jdoe' }));
    await attempt(() =>
      make(server.url, { readOnly: true }).request({ ...getUser, method: 'DELETE' }, { userId: 'jdoe' }),
    );
    await new Promise((r) => setTimeout(r, 300));

    expect(thrown.map((e) => (e as Error).name)).toEqual([
      'AlmaAuthError',
      'AlmaRateLimitError',
      'AlmaDailyLimitError',
      'AlmaNotFoundError',
      'AlmaApiError',
      'AlmaServerError',
      'AlmaServerError',
      'AlmaServerError',
      'AlmaDecodeError',
      'AlmaTimeoutError',
      'AlmaAbortError',
      'AlmaNetworkError',
      'AlmaReadOnlyError',
    ]);
    const exposed = [
      ...thrown.flatMap((e) => [
        String(e),
        (e as Error).message,
        (e as Error).stack ?? '',
        JSON.stringify(e),
        inspect(e, { showHidden: true, depth: 10 }),
        String((e as { url?: string }).url),
      ]),
      JSON.stringify(logs),
      inspect(logs, { depth: 10 }),
      JSON.stringify(alma),
      inspect(alma, { showHidden: true, depth: 10 }),
      String(alma),
    ].join('\n');
    if (auth === 'query') expect(server.requests.some((r) => r.url.includes(key))).toBe(true);
    for (const fragment of fragments(key)) expect(exposed).not.toContain(fragment);
  });
});
