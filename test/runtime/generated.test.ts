import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { generateInMemory } from '../../generator/generate.js';
import { writeDirectoryAtomically } from '../../generator/write.js';
import { REPO, repoTempDir } from '../helpers/specs.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The generated functions, called for real against a loopback server. */
type Users = typeof import('../../output/alma-client/src/users.js');
type Conf = typeof import('../../output/alma-client/src/conf.js');
type Runtime = typeof import('../../output/alma-client/src/runtime/index.js');

let server: TestServer;
let users: Users;
let conf: Conf;
let runtime: Runtime;

beforeAll(async () => {
  server = await startServer();
  const dir = path.join(repoTempDir('generated-'), 'alma-client');
  await writeDirectoryAtomically(dir, generateInMemory(loadConfig(path.join(REPO, 'alma-codegen.yaml'))).emitted.files);
  users = (await import(path.join(dir, 'src/users.ts'))) as Users;
  conf = (await import(path.join(dir, 'src/conf.ts'))) as Conf;
  runtime = (await import(path.join(dir, 'src/runtime/index.ts'))) as Runtime;
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
    server.reply(400, JSON.stringify({ errorsExist: true, errorList: { error: [{ errorCode: '401861', errorMessage: 'User with identifier x was not found.' }] } }));
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
    await expect(conf.deleteLibraryLocation(alma, { libraryCode: 'MAIN', locationCode: 'STACKS' })).resolves.toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/almaws/v1/conf/libraries/MAIN/locations/STACKS' });
  });
});
