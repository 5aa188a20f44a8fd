import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { buildModel } from '../../generator/ir/build.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { type MockServer, startMockServer } from '../../mock/index.js';
import { renderSearch } from '../../runtime/search.js';
import { loadGenerated, writeGenerated } from '../helpers/generated.js';
import { REPO } from '../helpers/specs.js';
import { typeErrors } from '../helpers/type-errors.js';

/**
 * Searches and parameters the compiler checks, over the real specs: every documented `q` example rendered from its
 * structured form, the types as the TypeScript compiler sees them, and the calls over real HTTP against the mock in
 * both formats (the structured `q`, Alma's -1, item by barcode, ids in chunks).
 */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  bibs: typeof import('../../output/alma-client/src/bibs.js');
  users: typeof import('../../output/alma-client/src/users.js');
};

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
const model = buildModel(config, new DocumentStore(config.specDir));
const operations = model.areas.flatMap((a) => a.operations);
let mock: MockServer;
let pkg: Package;

beforeAll(async () => {
  mock = await startMockServer({ config, keys: [{ key: 'search-key' }], perSecondLimit: 10_000, size: 12 });
  pkg = await loadGenerated<Package>(config, ['runtime/index', 'bibs', 'users']);
});
afterAll(() => mock.close());

describe('the facts read from the specs', () => {
  test('14 list operations document their brief search; their fields, and the text they come from, are in the report', () => {
    const searched = operations.filter((op) => op.search).map((op) => op.exportName);
    expect(searched).toHaveLength(14);
    expect(searched).toEqual(expect.arrayContaining(['listUsers', 'listInvoices', 'listPoLines', 'listCollections']));
    const users = operations.find((op) => op.exportName === 'listUsers')!.search!;
    expect(users.fields).toEqual(expect.arrayContaining(['primary_id', 'last_name', 'email', 'ALL']));
    expect(users.alone).toEqual(['ALL']);
  });

  test('every example the q descriptions give renders from its structured form as written', () => {
    const examples = operations.flatMap((op) => {
      const text = op.search?.text.replace(/%20/g, ' ') ?? '';
      return [...text.matchAll(/q=((?:[a-z_]+[~=][^\s,()]+)(?: (?:AND|and) [a-z_]+[~=][^\s,()]+)*)/g)].map((m) => ({
        op,
        example: m[1]!.replace(/\.$/, ''),
      }));
    });
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const { op, example } of examples) {
      const query = Object.fromEntries(
        example.split(/ (?:AND|and) /).map((clause) => {
          const [, field, operator, value] = /^([a-z_]+)([~=])(.*)$/.exec(clause)!;
          return [field!, operator === '=' ? { equals: value! } : value!];
        }),
      );
      expect(renderSearch(op.exportName, op.search!, query), op.exportName).toBe(example.replace(/ and /g, ' AND '));
    }
  });

  test('documented values: view, expand, status and others are typed; the supplementary operation is marked', () => {
    const documented = operations.flatMap((op) => op.queryParams.filter((p) => p.documented));
    expect(documented.length).toBeGreaterThanOrEqual(80);
    const getUser = operations.find((op) => op.exportName === 'getUser')!;
    // The three the description lists, and the spec's default.
    expect(getUser.queryParams.find((p) => p.wireName === 'expand')?.documented).toMatchObject({
      values: ['loans', 'requests', 'fees', 'none'],
      multiple: true,
    });
    const byBarcode = operations.find((op) => op.exportName === 'getItemByBarcode')!;
    expect(byBarcode.supplementary?.source).toMatch(/^bibs\.json, the description of GET/);
  });
});

describe('the types, as the TypeScript compiler sees them', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await writeGenerated(config);
  });
  function compile(body: string): string[] {
    return typeErrors(
      path.join(dir, 'src', '__search.ts'),
      `import { createClient } from './runtime/index.js';\nimport { listUsers, getUser } from './users.js';\nimport { getBib, listBibsByIds } from './bibs.js';\nconst alma = createClient({ apiKey: 'k', region: 'eu' });\nexport async function run() {\n${body}\n}\n`,
    );
  }

  test('a structured q over the operation’s own fields, raw strings, documented and unknown values compile', () => {
    expect(
      compile(`
        await listUsers(alma, { q: { last_name: 'Smith', first_name: { startsWith: 'J' } } });
        await listUsers(alma, { q: { anyOf: [{ last_name: 'Smith' }, { email: 'x@y' }] } });
        await listUsers(alma, { q: 'last_name~Smith' });
        await getUser(alma, { userId: 'u', view: 'brief', expand: ['loans', 'fees'] });
        await getUser(alma, { userId: 'u', expand: 'loans,fees', view: 'some_future_view' });
        await getBib(alma, { mmsId: '1', expand: ['p_avail', 'e_avail'] });
        const bibs = await listBibsByIds(alma, ['1', '2'], { view: 'brief' });
        bibs[0]?.mms_id;`),
    ).toEqual([]);
  });

  test('a field the operation does not search is an error', () => {
    expect(compile(`await listUsers(alma, { q: { nickname: 'Bob' } });`).join('\n')).toMatch(/nickname/);
  });

  test('the same field twice in one query is an error', () => {
    expect(compile(`await listUsers(alma, { q: { last_name: 'Smith', last_name: 'Smyth' } });`).join('\n')).toMatch(
      /multiple properties with the same name/,
    );
  });

  test('an exact match where the search documents none is an error', () => {
    expect(compile(`await listUsers(alma, { q: { last_name: { equals: 'Smith' } } });`).join('\n')).toMatch(/equals/);
  });

  test('view and expand carry their documented values (completion shows them)', () => {
    const errors = compile(`const view: Parameters<typeof getUser>[1]['view'] = 1;`).join('\n');
    expect(errors).toMatch(/"full" \| "brief"/);
    const expand = compile(`const expand: Parameters<typeof getUser>[1]['expand'] = 1;`).join('\n');
    for (const value of ['loans', 'requests', 'fees']) expect(expand).toContain(`"${value}"`);
    expect(expand).toMatch(/KnownValueList</);
  });
});

describe.each(['json', 'xml'] as const)('against the mock over %s', (format) => {
  const alma = () => pkg.runtime.createClient({ apiKey: 'search-key', baseUrl: mock.url, format });
  const users = () => mock.store.all('/almaws/v1/users');

  test('a structured q finds what its raw string finds', async () => {
    const user = users()[3]!;
    const last = String(user.last_name);
    const structured = await pkg.users.listUsers(alma(), {
      q: { last_name: last, first_name: { startsWith: String(user.first_name).slice(0, 2) } },
    });
    expect(structured.user?.map((u) => u.primary_id)).toEqual([user.primary_id]);
    const either = await pkg.users.listUsers(alma(), {
      q: { anyOf: [{ primary_id: String(user.primary_id) }, { primary_id: String(users()[4]!.primary_id) }] },
    });
    expect(either.total_record_count).toBe(2);
  });

  test('a value with spaces is searched as a phrase (underscores), and found', async () => {
    const user = users()[5]!;
    const [street] = mock.store
      .all('/almaws/v1/users')
      .filter((u) => u.primary_id === user.primary_id)
      .map((u) => `${u.first_name} ${u.last_name}`);
    const from = mock.log.entries.length;
    const found = await pkg.users.listUsers(alma(), { q: { ALL: street! } });
    expect(found.user?.some((u) => u.primary_id === user.primary_id)).toBe(true);
    expect(mock.log.entries.length).toBe(from + 1);
  });

  test('what Alma answers with -1 (a field twice, as a raw string) the mock answers with -1, and no entries', async () => {
    const answer = await pkg.users.listUsers(alma(), { q: 'last_name~a AND last_name~b' });
    expect(answer).toEqual({ total_record_count: -1 });
  });

  test('a query the types would refuse, forced through a cast, is refused before it is sent', async () => {
    const from = mock.log.entries.length;
    await expect(
      pkg.users.listUsers(alma(), { q: { nickname: 'Bob' } as unknown as { last_name: string } }),
    ).rejects.toThrow(pkg.runtime.AlmaQueryError);
    expect(mock.log.entries.length).toBe(from);
  });

  test('getItemByBarcode follows Alma’s redirect to the item', async () => {
    const item = mock.store.all('/almaws/v1/bibs/ALL/holdings/ALL/items')[2]!;
    const { barcode, pid } = item.item_data as { barcode: string; pid: string };
    const from = mock.log.entries.length;
    const found = await pkg.bibs.getItemByBarcode(alma(), { itemBarcode: barcode, view: 'label' });
    expect(found.item_data.pid).toBe(pid);
    const calls = mock.log.entries
      .slice(from)
      .map((e) => `${e.status} ${e.method} ${e.path.replace(/^\/almaws\/v1/, '')}`);
    expect(calls).toEqual([
      '302 GET /items',
      `200 GET /bibs/${(item.bib_data as { mms_id: string }).mms_id}/holdings/${(item.holding_data as { holding_id: string }).holding_id}/items/${pid}`,
    ]);
  });

  test('expand as an array is sent comma-separated and honoured; view=brief leaves the MARC record out', async () => {
    const user = users()[0]!;
    const from = mock.log.entries.length;
    const expanded = await pkg.users.getUser(alma(), { userId: String(user.primary_id), expand: ['loans', 'fees'] });
    expect(expanded).toMatchObject({ loans: { value: expect.any(String) }, fees: { value: expect.any(String) } });
    expect(expanded).not.toHaveProperty('requests');
    expect(mock.log.entries.length).toBe(from + 1);
    const mmsId = String(mock.store.all('/almaws/v1/bibs')[0]!.mms_id);
    expect(await pkg.bibs.getBib(alma(), { mmsId, view: 'brief' })).not.toHaveProperty('anies');
  });

  test('a barcode Alma does not have is its not-found error', async () => {
    await expect(pkg.bibs.getItemByBarcode(alma(), { itemBarcode: 'NO-SUCH' })).rejects.toThrow(/NO-SUCH/);
  });

  test('listBibsByIds takes any number of ids: calls of at most 100, entries in the order asked', async () => {
    const ids = mock.store.all('/almaws/v1/bibs').map((b) => String(b.mms_id));
    // 150 ids: the known ones, reversed, among unknown ones.
    const asked = [...ids]
      .reverse()
      .flatMap((id, i) => [id, ...Array.from({ length: 11 }, (_, j) => `99${i}${j}0000000000`)])
      .slice(0, 150);
    const from = mock.log.entries.length;
    const found = await pkg.bibs.listBibsByIds(alma(), [...asked, asked[0]!]);
    expect(found.map((b) => b.mms_id)).toEqual(asked.filter((id) => ids.includes(id)));
    expect(mock.log.entries.slice(from).map((e) => e.path)).toEqual(['/almaws/v1/bibs', '/almaws/v1/bibs']);
  });
});
