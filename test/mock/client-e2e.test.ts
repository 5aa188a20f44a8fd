import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { startMockServer, type MockOptions, type MockServer } from '../../mock/index.js';
import { withMock } from '../helpers/mock.js';
import { loadGenerated } from '../helpers/generated.js';
import { ALL_AREAS, REPO } from '../helpers/specs.js';

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
  tasklists: typeof import('../../output/alma-client/src/tasklists.js');
};

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let mock: MockServer;
let pkg: Package;

beforeAll(async () => {
  mock = await startMockServer({ config, keys: [{ key: 'e2e-key' }], perSecondLimit: 10_000, size: 6 });
  pkg = await loadGenerated<Package>(config, ['runtime/index', ...ALL_AREAS]);
});
afterAll(() => mock.close());

/** A mock of its own, for settings the shared one does not have. */
const withE2eMock = <T>(options: Partial<MockOptions>, body: (mock: MockServer) => Promise<T>) =>
  withMock({ config, keys: [{ key: 'e2e-key' }], perSecondLimit: 10_000, ...options }, body);

const client = (format: 'json' | 'xml') => pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: mock.url, format });

describe.each(['json', 'xml'] as const)('over %s', (format) => {
  test('tasklists: the ninth area is served, its inline schemas typed', async () => {
    const printouts = await pkg.tasklists.listPrintouts(client(format), { limit: 5 });
    expect(printouts).toMatchObject({ total_record_count: expect.any(Number) });
    const resources = await pkg.tasklists.listRequestedResources(client(format), {
      library: 'MAIN',
      circDesk: 'DEFAULT_CIRC_DESK',
    });
    expect(resources).toBeTypeOf('object');
  });

  test('an untyped document goes as JSON even on an XML client (nothing lost), a typed one in the client’s format', async () => {
    mock.log.clear();
    const accepts: string[] = [];
    const alma = pkg.runtime.createClient({
      apiKey: 'e2e-key',
      baseUrl: mock.url,
      format,
      onRequest: (e) => accepts.push(e.headers.Accept ?? ''),
    });
    const vendors = await pkg.acq.listVendors(alma, { limit: 2 });
    expect(vendors).toBeTypeOf('object');
    await pkg.users.getUser(alma, { userId: 'user1' });
    expect(accepts).toEqual(['application/json', `application/${format}`]);
  });

  test('users: getUser, listUserLoans; the wire format is the one asked for', async () => {
    mock.log.clear();
    const user = await pkg.users.getUser(client(format), { userId: 'user3' });
    expect(user).toMatchObject({ primary_id: 'user3', status: { value: 'ACTIVE', desc: 'Active' } });
    expect(user.user_identifier?.[0]?.id_type?.value).toBe('BARCODE');
    const loans = await pkg.users.listUserLoans(client(format), { userId: 'user3', limit: 10 });
    expect(loans).toMatchObject({ total_record_count: 1 });
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
    const created = await pkg.conf.createSet(client(format), {
      body: { name: `E2E ${format}`, description: 'temporary', type: { value: 'ITEMIZED' } },
    });
    const id = created.id!;
    const updated = await pkg.conf.replaceSet(client(format), { setId: id, body: { name: `E2E ${format} renamed` } });
    expect(updated.description).toBeUndefined();
    // The generated read-modify-write: a Set read, a SetPut written, the name kept.
    const { changes } = await pkg.conf.updateSet(client(format), { setId: id }, (set) => {
      set.description = 'kept';
    });
    expect(changes).toEqual([{ path: 'description', before: undefined, after: 'kept' }]);
    expect(await pkg.conf.getSet(client(format), { setId: id })).toMatchObject({
      name: `E2E ${format} renamed`,
      description: 'kept',
    });
    await expect(pkg.conf.deleteSet(client(format), { setId: id })).resolves.toBeUndefined();
    const error = await pkg.conf.getSet(client(format), { setId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pkg.runtime.AlmaNotFoundError);
  });

  test('conf: a job download is a file, MARC XML or ISO 2709 whose lengths count bytes', async () => {
    const xml = Buffer.from(
      await pkg.conf.getJobInstanceDownload(client(format), { jobId: 'S1', instanceId: 'I1' }),
    ).toString('utf8');
    expect(xml).toMatch(/^<\?xml[\s\S]*<collection xmlns="http:\/\/www.loc.gov\/MARC21\/slim"><record>[\s\S]*Müller/);
    const binary = Buffer.from(
      await pkg.conf.getJobInstanceDownload(client(format), {
        jobId: 'S1',
        instanceId: 'I1',
        downloadFormat: 'BINARY',
      }),
    );
    expect(Number(binary.subarray(0, 5).toString('latin1'))).toBe(binary.length);
    expect(binary.at(-1)).toBe(0x1d);
    expect(binary.toString('utf8')).toContain('Müller');
  });

  test('users: authenticating a user answers 204, no body', async () => {
    await expect(
      pkg.users.actOnUser(client(format), { userId: 'user1', op: 'auth', password: 'x' }),
    ).resolves.toBeUndefined();
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

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

test('typed answers are equal in both formats', async () => {
  const [json, xml] = await Promise.all([
    pkg.users.getUser(client('json'), { userId: 'user2' }),
    pkg.users.getUser(client('xml'), { userId: 'user2' }),
  ]);
  // Alma's JSON writes null where its XML has no element: equal up to that.
  expect(json.middle_name).toBeNull();
  expect(xml).toEqual(withoutNulls(json));
  const mmsId = (await pkg.bibs.listBibs(client('json'))).bib![0]!.mms_id!;
  expect(await pkg.bibs.getBib(client('xml'), { mmsId })).toEqual(
    withoutNulls(await pkg.bibs.getBib(client('json'), { mmsId })),
  );
});

describe.each([
  ['json', 'user4', 'user5'],
  ['xml', 'user6', 'user1'],
] as const)('update<Entity> (safeUpdate) over %s', (format, first, second) => {
  test('a field the schema does not know, added to the record on the server, survives the update', async () => {
    const record = mock.store.get('/almaws/v1/users', first)!;
    record.x_future_field = 'added by Ex Libris later';
    const alma = client(format);
    const { changes, updated } = await pkg.users.updateUser(alma, { userId: first }, (user) => {
      user.job_description = `Cataloger (${format})`;
    });
    // The seeded record has no job description: `null` in Alma's JSON, no element in its XML.
    expect(changes).toEqual([
      { path: 'job_description', before: format === 'json' ? null : undefined, after: `Cataloger (${format})` },
    ]);
    expect(updated?.job_description).toBe(`Cataloger (${format})`);
    const stored = mock.store.get('/almaws/v1/users', first)!;
    expect(stored).toMatchObject({
      x_future_field: 'added by Ex Libris later',
      job_description: `Cataloger (${format})`,
      first_name: expect.any(String),
      user_identifier: [expect.objectContaining({ value: expect.any(String) })],
    });
  });

  test('a dry run makes no PUT; a backup is written first', async () => {
    const alma = client(format);
    mock.log.clear();
    const dry = await pkg.users.updateUser(alma, { userId: second }, (user) => ({ ...user, last_name: 'Dry' }), {
      dryRun: true,
    });
    expect(dry).toEqual({
      changes: [{ path: 'last_name', before: expect.any(String), after: 'Dry' }],
      written: false,
      tries: 1,
    });
    expect(mock.log.entries.map((e) => e.method)).toEqual(['GET']);
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const backupDir = mkdtempSync(path.join(tmpdir(), 'alma-backup-'));
    await pkg.users.updateUser(
      alma,
      { userId: second },
      (user) => {
        user.last_name = 'Wet';
      },
      { backupDir },
    );
    const [backup] = readdirSync(backupDir);
    expect(backup).toMatch(/^replaceUser-.*\.json$/);
    expect(JSON.parse(readFileSync(path.join(backupDir, backup!), 'utf8')).last_name).not.toBe('Wet');
    expect(mock.store.get('/almaws/v1/users', second)!.last_name).toBe('Wet');
  });
});

test('update<Entity> of an XML-only PUT reads in XML too, whatever the client speaks: MARC and unknown fields survive', async () => {
  const [first] = (await pkg.bibs.listBibs(client('json'), {})).bib ?? [];
  const mmsId = first!.mms_id!;
  mock.store.get('/almaws/v1/bibs', mmsId)!.x_future_field = 'kept';
  const accepts: string[] = [];
  const alma = pkg.runtime.createClient({
    apiKey: 'e2e-key',
    baseUrl: mock.url,
    format: 'json',
    onRequest: (e) => accepts.push(`${e.method} ${e.headers.Accept}`),
  });
  const before = mock.store.get('/almaws/v1/bibs', mmsId)!.anies;
  const { changes } = await pkg.bibs.updateBib(alma, { mmsId }, (bib) => {
    bib.suppress_from_publishing = 'true';
  });
  expect(changes).toEqual([{ path: 'suppress_from_publishing', before: 'false', after: 'true' }]);
  // The record, the same record again just before the write (no change meanwhile), the write.
  expect(accepts).toEqual(['GET application/xml', 'GET application/xml', 'PUT application/xml']);
  const stored = mock.store.get('/almaws/v1/bibs', mmsId)!;
  expect(stored).toMatchObject({ x_future_field: 'kept', suppress_from_publishing: 'true' });
  // The MARC record as it was, but for 005, which Alma (and the mock) sets on every save.
  const without005 = (anies: unknown) =>
    pkg.runtime
      .marcOf({ anies })
      .getFields()
      .filter((f) => f.tag !== '005')
      .map(String);
  expect(without005(stored.anies)).toEqual(without005(before));
});

describe.each(['json', 'xml'] as const)('runJobAndWait over %s', (format) => {
  const jobs = { polls: 3, outcomes: { M26714670000002: 'COMPLETED_FAILED' } };

  test('runs the job, follows the instance link, polls until a final status', () =>
    withE2eMock({ jobs }, async (jobMock) => {
      const alma = pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: jobMock.url, format });
      const seen: (string | undefined)[] = [];
      const run = await pkg.conf.runJobAndWait(
        alma,
        { jobId: 'M26714670000001', body: {} },
        { pollMs: 10, onProgress: (i) => seen.push(`${i.status?.value} ${i.progress}`) },
      );
      expect(run).toMatchObject({
        jobId: 'M26714670000001',
        status: 'COMPLETED_SUCCESS',
        instance: { progress: 100, status: { value: 'COMPLETED_SUCCESS' } },
      });
      expect(seen).toEqual(['RUNNING 33', 'RUNNING 66', 'COMPLETED_SUCCESS 100']);
      expect(jobMock.log.entries.map((e) => `${e.method} ${e.path}`)).toEqual([
        'POST /almaws/v1/conf/jobs/M26714670000001',
        ...Array.from({ length: 3 }, () => `GET /almaws/v1/conf/jobs/M26714670000001/instances/${run.instanceId}`),
      ]);
      const failed = await pkg.conf
        .runJobAndWait(alma, { jobId: 'M26714670000002', body: {} }, { pollMs: 10 })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(pkg.runtime.AlmaJobError);
      expect(failed).toMatchObject({
        status: 'COMPLETED_FAILED',
        jobId: 'M26714670000002',
        message: expect.stringMatching(/ended with COMPLETED_FAILED/),
      });
      const missing = await pkg.conf
        .runJobAndWait(alma, { jobId: 'NO_SUCH_JOB', body: {} }, { pollMs: 10 })
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(pkg.runtime.AlmaApiError);
    }));

  test('is bounded: a job that never ends fails after timeoutMs; an abort stops the wait', () =>
    withE2eMock({ jobs: { polls: 1_000_000 } }, async (jobMock) => {
      const alma = pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: jobMock.url, format });
      const started = Date.now();
      const late = await pkg.conf
        .runJobAndWait(alma, { jobId: 'M26714670000003', body: {} }, { pollMs: 25, timeoutMs: 200 })
        .catch((e: unknown) => e);
      expect(late).toBeInstanceOf(pkg.runtime.AlmaJobError);
      expect((late as Error).message).toMatch(/did not end within 200 ms \(last status RUNNING/);
      expect(Date.now() - started).toBeLessThan(1000);
      const polls = jobMock.log.entries.filter((e) => e.method === 'GET').length;
      // Every 25 ms for 200 ms: at most 9 reads; at least 2 however slow the machine.
      expect(polls).toBeGreaterThanOrEqual(2);
      expect(polls).toBeLessThanOrEqual(9);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await pkg.conf
        .runJobAndWait(alma, { jobId: 'M26714670000003', body: {} }, { pollMs: 10_000, signal: controller.signal })
        .catch((e: unknown) => e);
      expect(aborted).toBeInstanceOf(pkg.runtime.AlmaAbortError);
    }));
});

describe.each(['json', 'xml'] as const)('analyticsReportRows over %s', (format) => {
  const report = { path: '/shared/Example University/Reports/Loans by title' };

  test('pages by token after a still-loading answer, headings from the first page, ends on code 420033 after a full last page', () =>
    withE2eMock({ analytics: { rows: 75, loadingPolls: 1 } }, async (reportMock) => {
      const alma = pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: reportMock.url, format });
      const requested: string[] = [];
      const traced = pkg.runtime.createClient({
        apiKey: 'e2e-key',
        baseUrl: reportMock.url,
        format,
        onRequest: (e) => requested.push(new URL(e.url).search),
      });
      const rows = [];
      for await (const row of pkg.analytics.analyticsReportRows(traced, report, {
        pageSize: 25,
        stillLoadingDelayMs: 5,
      }))
        rows.push(row);
      expect(rows).toHaveLength(75);
      expect(rows[0]).toEqual({ '0': '0', Title: 'Title & subtitle 1', 'MMS Id': '9900000000000013811', Loans: '37' });
      expect(rows[6]).not.toHaveProperty('MMS Id');
      expect(rows.map((r) => r.Title)).toEqual(Array.from({ length: 75 }, (_, i) => `Title & subtitle ${i + 1}`));
      // A still-loading answer, three full pages, then 420033 for the token.
      expect(requested).toHaveLength(5);
      expect(requested[0]).toMatch(/path=.*limit=25.*col_names=true/);
      expect(requested.slice(1).every((q) => /token=MOCKTOKEN/.test(q))).toBe(true);
      expect(reportMock.log.entries.map((e) => e.status)).toEqual([200, 200, 200, 200, 400]);
      const pages = [];
      for await (const page of pkg.analytics.analyticsReportPages(alma, report, {
        pageSize: 50,
        stillLoadingDelayMs: 5,
      }))
        pages.push(page);
      expect(pages.map((p) => p.rows.length)).toEqual([50, 25]);
      expect(pages[1]!.headings).toEqual(['0', 'Title', 'MMS Id', 'Loans']);
    }));

  test('a report that stays loading fails after stillLoadingRetries', () =>
    withE2eMock({ analytics: { rows: 10, loadingPolls: 5 } }, async (reportMock) => {
      const alma = pkg.runtime.createClient({ apiKey: 'e2e-key', baseUrl: reportMock.url, format });
      const rows = pkg.analytics.analyticsReportRows(alma, report, { stillLoadingRetries: 2, stillLoadingDelayMs: 5 });
      await expect(rows.next()).rejects.toThrow(/still loading after 2 tries/);
      expect(reportMock.log.entries).toHaveLength(3);
    }));
});
