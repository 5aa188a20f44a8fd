import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { type MockServer, startMockServer } from '../../mock/index.js';
import { loadGenerated } from '../helpers/generated.js';
import { REPO } from '../helpers/specs.js';

/** Knowing which Alma a client talks to: keys per area and right, the environment guard, the probe, the NZ. */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  bibs: typeof import('../../output/alma-client/src/bibs.js');
  users: typeof import('../../output/alma-client/src/users.js');
  probe: typeof import('../../output/alma-client/src/probe.js');
};

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let mock: MockServer;
let pkg: Package;

beforeAll(async () => {
  mock = await startMockServer({
    config,
    perSecondLimit: 10_000,
    size: 4,
    keys: [
      { key: 'users-rw', areas: ['users'] },
      { key: 'bibs-rw', areas: ['bibs', 'conf'] },
      { key: 'bibs-ro', areas: ['bibs', 'conf'], plan: 'read-only' },
      { key: 'prod-rw', environment: 'production', institution: '01PROD_INST' },
      { key: 'nz-rw', zone: 'network' },
    ],
  });
  pkg = await loadGenerated<Package>(config, ['runtime/index', 'bibs', 'users', 'probe']);
});
afterAll(() => mock.close());

const callsSince = (from: number) =>
  mock.log.entries.slice(from).map((e) => `${e.method} ${e.path.replace(/^\/almaws\/v1/, '')}`);
const firstBib = () => String(mock.store.all('/almaws/v1/bibs')[0]!.mms_id);

describe('keys per area', () => {
  test('each operation is sent with its area key, and a key for another area gets UNAUTHORIZED from the gateway', async () => {
    const alma = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: { users: 'users-rw', bibs: 'bibs-rw' } });
    expect((await pkg.users.getUser(alma, { userId: 'user1' })).primary_id).toBe('user1');
    expect((await pkg.bibs.getBib(alma, { mmsId: firstBib() })).mms_id).toBe(firstBib());

    const wrong = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'bibs-rw' });
    const refused = await pkg.users.getUser(wrong, { userId: 'user1' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(pkg.runtime.AlmaAuthError);
    expect(refused).toMatchObject({ status: 400, code: 'UNAUTHORIZED' });
    expect((refused as Error).message).toMatch(/API-key not defined or not configured to allow this API/);
  });

  test('an area without a key (and no default) fails locally, naming the area', async () => {
    const alma = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: { bibs: 'bibs-rw' } });
    const from = mock.log.entries.length;
    await expect(pkg.users.getUser(alma, { userId: 'user1' })).rejects.toThrow(
      /getUser was not sent: no API key for area users \(keys are set for bibs\)/,
    );
    expect(callsSince(from)).toEqual([]);
  });

  test("a read-only key's write is refused locally with the area's label, never the key", async () => {
    const alma = pkg.runtime.createClient({
      baseUrl: mock.url,
      apiKey: { bibs: { key: 'bibs-ro', readOnly: true, label: 'bibs (read-only)' }, default: 'users-rw' },
    });
    const from = mock.log.entries.length;
    const error = await pkg.bibs.replaceBib(alma, { mmsId: firstBib(), body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pkg.runtime.AlmaReadOnlyError);
    expect((error as Error).message).toBe('replaceBib (PUT) was not sent: the API key "bibs (read-only)" is read-only');
    expect((error as Error).message).not.toContain('bibs-ro');
    expect(callsSince(from)).toEqual([]);
  });

  test('the gateway refuses a read-only key a write with HTTP 400 UNAUTHORIZED (not 403)', async () => {
    const alma = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'bibs-ro' });
    const error = await pkg.bibs.createBib(alma, { body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'UNAUTHORIZED' });
  });
});

describe('the environment guard', () => {
  test('a client that expects the sandbox refuses to write to production, after reading /conf/general once', async () => {
    const alma = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'prod-rw', environment: 'sandbox' });
    const from = mock.log.entries.length;
    const error = await pkg.users
      .replaceUser(alma, { userId: 'user2', body: { primary_id: 'user2' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pkg.runtime.AlmaEnvironmentError);
    expect((error as Error).message).toMatch(
      /expects the sandbox environment, but its key reaches production \(institution 01PROD_INST\)/,
    );
    await pkg.users.replaceUser(alma, { userId: 'user2', body: { primary_id: 'user2' } }).catch(() => undefined);
    expect(callsSince(from)).toEqual(['GET /conf/general']);
    // Reads go through.
    expect((await pkg.users.getUser(alma, { userId: 'user2' })).primary_id).toBe('user2');
  });

  test('production writes need an explicit opt-in', async () => {
    const guarded = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'prod-rw', allowProductionWrites: false });
    await expect(pkg.users.replaceUser(guarded, { userId: 'user3', body: { primary_id: 'user3' } })).rejects.toThrow(
      /production writes need allowProductionWrites: true/,
    );
    const allowed = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'prod-rw', environment: 'production' });
    const user = await pkg.users.getUser(allowed, { userId: 'user3' });
    expect((await pkg.users.replaceUser(allowed, { userId: 'user3', body: user })).primary_id).toBe('user3');
    expect(await allowed.environment()).toEqual({ type: 'production', institution: '01PROD_INST' });
  });
});

describe('the key probe', () => {
  test('probeAccessOfKey: per area, read-write, read-only or none; the environment and institution', async () => {
    const alma = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'bibs-ro' });
    const from = mock.log.entries.length;
    const report = await pkg.probe.probeAccessOfKey(alma);
    expect(report.environment).toBe('sandbox');
    expect(Object.fromEntries(report.areas.map((a) => [a.area, a.access]))).toMatchObject({
      bibs: 'read-only',
      conf: 'read-only',
      users: 'none',
      acq: 'none',
    });
    // At most two calls an area (a POST only where the GET passed), and one for the environment.
    expect(callsSince(from).length).toBeLessThanOrEqual(report.areas.length + 2 + 1);
  });

  test('alma-codegen probe prints the table, and --json the report; the key only from ALMA_API_KEY', async () => {
    const run = (args: string[], key: string) =>
      promisify(execFile)(process.execPath, [path.join(REPO, 'bin/alma-codegen.js'), 'probe', ...args], {
        cwd: REPO,
        env: { ...process.env, ALMA_API_KEY: key },
      });
    const table = (await run(['--base-url', mock.url], 'bibs-rw')).stdout;
    expect(table).toMatch(/^environment: sandbox$/m);
    expect(table).toMatch(/^bibs +read-write$/m);
    expect(table).toMatch(/^users +none$/m);
    // A key that cannot read /conf/general: the environment is unknown, and the report says why.
    expect((await run(['--base-url', mock.url], 'users-rw')).stdout).toMatch(
      /^environment: unknown \(the key cannot read/m,
    );
    const json = JSON.parse((await run(['--base-url', mock.url, '--json'], 'prod-rw')).stdout) as {
      environment: string;
      institution: string;
      areas: { area: string; access: string }[];
    };
    expect(json).toMatchObject({ environment: 'production', institution: '01PROD_INST' });
    expect(json.areas.every((a) => a.access === 'read-write')).toBe(true);
    const missing = await run(['--region', 'eu'], '').catch((e: { stderr: string; code: number }) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect((missing as { stderr: string }).stderr).toMatch(/no API key: ALMA_API_KEY is not set/);
    expect((missing as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the Network Zone', () => {
  test('the IZ copy of an NZ record, linking one, and whether a bib is linked', async () => {
    const izBibs = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: { bibs: 'bibs-rw' } });
    const nz = pkg.runtime.createClient({ baseUrl: mock.url, apiKey: 'nz-rw' });
    const nzIds = mock.store.all('/almaws/v1/bibs').flatMap((b) => {
      const linked = b.linked_record_id as { value?: string } | undefined;
      return linked?.value ? [linked.value] : [];
    });
    expect(nzIds.length).toBeGreaterThan(0);
    const copy = await pkg.bibs.findNetworkZoneCopy(izBibs, nzIds[0]!);
    expect(copy && pkg.bibs.isLinkedToNetworkZone(copy)).toBe(true);
    expect(copy?.linked_record_id?.value).toBe(nzIds[0]);

    // An NZ record the institution has no copy of: Alma's error, which the helper reads as none.
    const notCopied = '990000000010030000';
    expect((await pkg.bibs.getBib(nz, { mmsId: notCopied })).title).toBe('The brothers Karamazov /');
    const none = await pkg.bibs.findNetworkZoneCopy(izBibs, notCopied);
    expect(none).toBeUndefined();
    const raw = await pkg.bibs.listBibs(izBibs, { nzMmsId: notCopied }).catch((e: unknown) => e);
    expect(raw).toMatchObject({ status: 400, code: '402203' });

    const linked = await pkg.bibs.linkFromNetworkZone(izBibs, notCopied);
    expect(pkg.bibs.isLinkedToNetworkZone(linked)).toBe(true);
    expect(linked.title).toBe('The brothers Karamazov /');
    expect((await pkg.bibs.findNetworkZoneCopy(izBibs, notCopied))?.mms_id).toBe(linked.mms_id);
    expect(pkg.bibs.isLinkedToNetworkZone(await pkg.bibs.getBib(izBibs, { mmsId: firstBib() }))).toBe(true);
  });
});
