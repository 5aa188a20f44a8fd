import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { generateInMemory } from '../../generator/generate.js';
import { writeDirectoryAtomically } from '../../generator/write.js';
import { startMockServer, type MockServer } from '../../mock/index.js';
import { REPO, repoTempDir } from '../helpers/specs.js';

/** The generated client against the mock, one operation or more per area, in both wire formats. */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  acq: typeof import('../../output/alma-client/src/acq.js');
  analytics: typeof import('../../output/alma-client/src/analytics.js');
  bibs: typeof import('../../output/alma-client/src/bibs.js');
  conf: typeof import('../../output/alma-client/src/conf.js');
  courses: typeof import('../../output/alma-client/src/courses.js');
  electronic: typeof import('../../output/alma-client/src/electronic.js');
  partners: typeof import('../../output/alma-client/src/partners.js');
  users: typeof import('../../output/alma-client/src/users.js');
};

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let mock: MockServer;
let pkg: Package;

beforeAll(async () => {
  mock = await startMockServer({ config, keys: [{ key: 'e2e-key' }], perSecondLimit: 10_000, size: 6 });
  const dir = path.join(repoTempDir('e2e-'), 'alma-client');
  await writeDirectoryAtomically(dir, generateInMemory(config).emitted.files);
  const load = (m: string) => import(path.join(dir, 'src', `${m}.ts`));
  pkg = {
    runtime: await load('runtime/index'),
    acq: await load('acq'),
    analytics: await load('analytics'),
    bibs: await load('bibs'),
    conf: await load('conf'),
    courses: await load('courses'),
    electronic: await load('electronic'),
    partners: await load('partners'),
    users: await load('users'),
  } as Package;
});
afterAll(() => mock.close());

const client = (format: 'json' | 'xml') => pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: mock.url, format });

describe.each(['json', 'xml'] as const)('over %s', (format) => {
  test('users: getUser, listUserLoans; the wire format is the one asked for', async () => {
    mock.log.clear();
    const user = await pkg.users.getUser(client(format), { userId: 'user3' });
    expect(user).toMatchObject({ primary_id: 'user3', status: { value: 'ACTIVE', desc: 'Active' } });
    expect(user.user_identifier?.[0]?.id_type?.value).toBe('BARCODE');
    const loans = await pkg.users.listUserLoans(client(format), { userId: 'user3', limit: 10 });
    expect(loans).toMatchObject({ total_record_count: format === 'json' ? 1 : '1' });
    expect(mock.log.entries.map((e) => e.status)).toEqual([200, 200]);
  });

  test('bibs: getBib with its MARC record in anies; listBibHoldings', async () => {
    const list = await pkg.bibs.listBibs(client(format));
    expect(list.bib).toHaveLength(6);
    const [first] = (await pkg.runtime.withResponse(pkg.bibs.listBibs, client('json'), {})).data.bib ?? [];
    const bib = await pkg.bibs.getBib(client(format), { mmsId: first!.mms_id! });
    expect(bib.anies?.[0]).toMatch(/^<record><leader>/);
    const holdings = await pkg.bibs.listBibHoldings(client(format), { mmsId: first!.mms_id! });
    expect(holdings.holding?.length).toBe(1);
  });

  test('conf: libraries, and a set created, updated (swap-all) and deleted', async () => {
    const libraries = await pkg.conf.listLibraries(client(format));
    expect(libraries.library?.map((l) => l.code)).toEqual(['MAIN', 'LAW', 'SCI']);
    const created = await pkg.conf.createSet(client(format), { body: { name: `E2E ${format}`, description: 'temporary', type: { value: 'ITEMIZED' } } });
    const id = created.id!;
    const updated = await pkg.conf.updateSet(client(format), { setId: id, body: { name: `E2E ${format} renamed` } });
    expect(updated.description).toBeUndefined();
    await expect(pkg.conf.deleteSet(client(format), { setId: id })).resolves.toBeUndefined();
    const error = await pkg.conf.getSet(client(format), { setId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pkg.runtime.AlmaNotFoundError);
  });

  test('acq, analytics, courses, electronic, partners: one call each', async () => {
    expect((await pkg.acq.listVendors(client(format))).vendor).toHaveLength(3);
    // Empty lists: only the count, a number in JSON; in XML a number where the schema says so.
    expect(await pkg.analytics.listAnalyticsPaths(client(format))).toEqual({});
    expect((await pkg.courses.listCourses(client(format))).course).toHaveLength(3);
    expect(Number((await pkg.electronic.listECollections(client(format))).total_record_count)).toBe(0);
    expect(await pkg.partners.listPartners(client(format))).toEqual({ total_record_count: 0 });
  });
});

test('typed answers are equal in both formats', async () => {
  const [json, xml] = await Promise.all([pkg.users.getUser(client('json'), { userId: 'user2' }), pkg.users.getUser(client('xml'), { userId: 'user2' })]);
  expect(xml).toEqual(json);
  const mmsId = (await pkg.bibs.listBibs(client('json'))).bib![0]!.mms_id!;
  expect(await pkg.bibs.getBib(client('xml'), { mmsId })).toEqual(await pkg.bibs.getBib(client('json'), { mmsId }));
});

describe.each([
  ['json', 'user4', 'user5'],
  ['xml', 'user6', 'user1'],
] as const)('safeUpdate over %s', (format, first, second) => {
  test('a field the schema does not know, added to the record on the server, survives the update', async () => {
    const record = mock.store.get('/almaws/v1/users', first)!;
    record.x_future_field = 'added by Ex Libris later';
    const alma = client(format);
    const { changes, updated } = await pkg.runtime.safeUpdate(pkg.users.getUser, pkg.users.updateUser, alma, { userId: first }, (user) => {
      user.job_description = `Cataloger (${format})`;
    });
    expect(changes).toEqual([{ path: 'job_description', before: undefined, after: `Cataloger (${format})` }]);
    expect(updated?.job_description).toBe(`Cataloger (${format})`);
    const stored = mock.store.get('/almaws/v1/users', first)!;
    expect(stored).toMatchObject({ x_future_field: 'added by Ex Libris later', job_description: `Cataloger (${format})`, first_name: expect.any(String), user_identifier: [expect.objectContaining({ value: expect.any(String) })] });
  });

  test('a dry run makes no PUT; a backup is written first', async () => {
    const alma = client(format);
    mock.log.clear();
    const dry = await pkg.runtime.safeUpdate(pkg.users.getUser, pkg.users.updateUser, alma, { userId: second }, (user) => ({ ...user, last_name: 'Dry' }), { dryRun: true });
    expect(dry).toEqual({ changes: [{ path: 'last_name', before: expect.any(String), after: 'Dry' }] });
    expect(mock.log.entries.map((e) => e.method)).toEqual(['GET']);
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const backupDir = mkdtempSync(path.join(tmpdir(), 'alma-backup-'));
    await pkg.runtime.safeUpdate(pkg.users.getUser, pkg.users.updateUser, alma, { userId: second }, (user) => void (user.last_name = 'Wet'), { backupDir });
    const [backup] = readdirSync(backupDir);
    expect(backup).toMatch(/^updateUser-.*\.json$/);
    expect(JSON.parse(readFileSync(path.join(backupDir, backup!), 'utf8')).last_name).not.toBe('Wet');
    expect(mock.store.get('/almaws/v1/users', second)!.last_name).toBe('Wet');
  });
});
