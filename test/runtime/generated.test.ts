import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { generateInMemory } from '../../generator/pipeline/generate.js';
import { writeDirectoryAtomically } from '../../generator/pipeline/write.js';
import { REPO, repoTempDir } from '../helpers/specs.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { USER_XML } from '../fixtures/records.js';

/** The generated functions, called for real against a loopback server. */
type Users = typeof import('../../output/alma-client/src/users.js');
type Conf = typeof import('../../output/alma-client/src/conf.js');
type Runtime = typeof import('../../output/alma-client/src/runtime/index.js');
type Bibs = typeof import('../../output/alma-client/src/bibs.js');

let server: TestServer;
let users: Users;
let conf: Conf;
let runtime: Runtime;
let bibs: Bibs;

beforeAll(async () => {
  server = await startServer();
  const dir = path.join(repoTempDir('generated-'), 'alma-client');
  await writeDirectoryAtomically(
    dir,
    (await generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml')))).emitted.files,
  );
  users = (await import(path.join(dir, 'src/users.ts'))) as Users;
  conf = (await import(path.join(dir, 'src/conf.ts'))) as Conf;
  runtime = (await import(path.join(dir, 'src/runtime/index.ts'))) as Runtime;
  bibs = (await import(path.join(dir, 'src/bibs.ts'))) as Bibs;
});
afterAll(() => server.close());

describe('generated functions over the runtime', () => {
  test('getUser: path parameter, camelCase query parameters mapped to wire names, typed result', async () => {
    server.reply(200, JSON.stringify({ primary_id: 'jdoe', first_name: 'J' }));
    const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url });
    const user = await users.getUser(alma, { userId: 'jdoe', userIdType: 'all_unique', view: 'brief' });
    expect(user.primary_id).toBe('jdoe');
    expect(server.requests.at(-1)!.url).toBe('/almaws/v1/users/jdoe?user_id_type=all_unique&view=brief');
  });

  test('a 400 with the spec’s not-found code is an AlmaNotFoundError narrowed by isAlmaError', async () => {
    server.reply(
      400,
      JSON.stringify({
        errorsExist: true,
        errorList: { error: [{ errorCode: '401861', errorMessage: 'User with identifier x was not found.' }] },
      }),
    );
    const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url });
    const error = await users.getUser(alma, { userId: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(runtime.AlmaNotFoundError);
    expect(runtime.isAlmaError(error, users.getUserOperation) && error.code).toBe('401861');
  });

  test('an operation without params, and a 204', async () => {
    server.reply(200, JSON.stringify({ library: [], total_record_count: 0 }));
    const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url });
    await expect(conf.listLibraries(alma)).resolves.toEqual({ library: [], total_record_count: 0 });
    server.reply(204, '');
    await expect(
      conf.deleteLibraryLocation(alma, { libraryCode: 'MAIN', locationCode: 'STACKS' }),
    ).resolves.toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      url: '/almaws/v1/conf/libraries/MAIN/locations/STACKS',
    });
  });
});

describe('a file answer (a job download)', () => {
  test('comes back as its exact bytes, whatever they are, in either client format; an error is still typed', async () => {
    // ISO 2709 with a UTF-8 "ü" and a byte that is not UTF-8: reading it as text would change both.
    const file = Buffer.concat([
      Buffer.from('00051nam a2200037   4500001001600000\x1e99123\x1eM\u00fcller', 'utf8'),
      Buffer.from([0xff, 0x1d]),
    ]);
    server.handle((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(file);
    });
    for (const format of ['json', 'xml'] as const) {
      const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url, format });
      const bytes = await conf.getJobInstanceDownload(alma, {
        jobId: 'S1',
        instanceId: 'I1',
        downloadFormat: 'BINARY',
      });
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(file)).toBe(true);
    }
    expect(server.requests.at(-1)!.url).toBe('/almaws/v1/conf/jobs/S1/instances/I1/download?download_format=BINARY');
    server.reply(
      400,
      JSON.stringify({
        errorsExist: true,
        errorList: { error: [{ errorCode: '402218', errorMessage: 'Invalid job instance id.' }] },
      }),
    );
    const error = await conf
      .getJobInstanceDownload(runtime.createClient({ apiKey: 'k', baseUrl: server.url }), {
        jobId: 'S1',
        instanceId: 'x',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(runtime.AlmaNotFoundError);
    expect((error as { code: string }).code).toBe('402218');
  });
});

describe('XML on the wire', () => {
  test('format xml returns the same typed value as format json', async () => {
    const xml = USER_XML;
    const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url, format: 'xml' });
    server.reply(200, xml, 'application/xml');
    const fromXml = await users.getUser(alma, { userId: 'jdoe' });
    expect(server.requests.at(-1)!.headers.accept).toBe('application/xml');
    server.reply(200, JSON.stringify(fromXml), 'application/json');
    const fromJson = await users.getUser(runtime.createClient({ apiKey: 'k', baseUrl: server.url }), {
      userId: 'jdoe',
    });
    expect(fromXml).toEqual(fromJson);
    expect(fromXml.user_identifier?.[0]?.value).toBe('000123456');
    expect(fromXml.contact_info?.email?.[1]?.preferred).toBe(false);
  });

  test('XML labelled JSON is decoded all the same', async () => {
    server.reply(200, USER_XML, 'application/json');
    const user = await users.getUser(runtime.createClient({ apiKey: 'k', baseUrl: server.url }), { userId: 'jdoe' });
    expect(user.primary_id).toBe('jdoe');
  });

  test('an XML-only operation speaks XML whatever the client format: the body is encoded, the answer decoded', async () => {
    const alma = runtime.createClient({ apiKey: 'k', baseUrl: server.url, format: 'json' });
    server.handle((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end(req.body.replace('<bib>', '<bib><mms_id>991</mms_id>'));
    });
    const created = await bibs.createBib(alma, {
      body: {
        title: 'ignored on create',
        anies: [
          '<record><leader>00783cam a2200241 a 4500</leader><datafield ind1="1" ind2=" " tag="245"><subfield code="a">War &amp; peace</subfield></datafield></record>',
        ],
      },
    });
    const sent = server.requests.at(-1)!;
    expect(sent.headers['content-type']).toBe('application/xml');
    expect(sent.headers.accept).toBe('application/xml');
    expect(sent.body).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><bib><title>ignored on create</title><record><leader>00783cam a2200241 a 4500</leader><datafield ind1="1" ind2=" " tag="245"><subfield code="a">War &amp; peace</subfield></datafield></record></bib>',
    );
    expect(created.mms_id).toBe('991');
    expect(created.anies?.[0]).toContain('War &amp; peace');
  });

  test('malformed XML is an AlmaDecodeError naming line and column', async () => {
    server.reply(200, '<user>\n<primary_id>x</oops></user>', 'application/xml');
    const error = await users
      .getUser(runtime.createClient({ apiKey: 'k', baseUrl: server.url, format: 'xml' }), { userId: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(runtime.AlmaDecodeError);
    expect(String(error)).toMatch(/line 2, column \d+/);
  });
});
