import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { startMockServer, type MockServer } from '../../mock/index.js';
import { REPO } from '../helpers/specs.js';

/**
 * Where the mock must answer as Alma does, so that code written against Alma is not misled by it (a client we did
 * not write, speaking raw HTTP): one test per point, in JSON and in XML.
 */
const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ config, keys: [{ key: 'k' }], perSecondLimit: 10_000, size: 12, seed: 3 });
});
afterAll(() => mock.close());

type Format = 'json' | 'xml';
const MEDIA = { json: 'application/json', xml: 'application/xml' } as const;

async function call(method: string, pathAndQuery: string, format: Format, body?: { text: string; type: Format }) {
  const headers: Record<string, string> = { Authorization: 'apikey k', Accept: MEDIA[format] };
  if (method === 'POST' || method === 'PUT') headers['Content-Type'] = MEDIA[body?.type ?? format];
  const response = await fetch(`${mock.url}/almaws/v1${pathAndQuery}`, { method, headers, body: body?.text });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const FORMATS: Format[] = ['json', 'xml'];
const user = (n: number) => mock.store.get('/almaws/v1/users', `user${n}`)!;
const firstBib = () => mock.store.all('/almaws/v1/bibs')[0]!;

describe.each(FORMATS)('over %s', (format) => {
  test('1. filters: q=field~value (contains, * wildcard, AND/OR); id filters take a comma-separated list', async () => {
    const lastName = String(user(1).last_name);
    const found = await call(
      'GET',
      `/users?q=last_name~${encodeURIComponent(lastName.toLowerCase())}&limit=100`,
      format,
    );
    const expected = mock.store.all('/almaws/v1/users').filter((u) => u.last_name === lastName).length;
    if (format === 'json') {
      expect(found.json().total_record_count).toBe(expected);
      expect((found.json().user as { last_name: string }[]).every((u) => u.last_name === lastName)).toBe(true);
    } else expect(found.text).toContain(`total_record_count="${expected}"`);
    const nobody = await call('GET', '/users?q=last_name~Nobody-Like-This', format);
    if (format === 'json') expect(nobody.json()).toEqual({ total_record_count: 0 });
    else expect(nobody.text).toMatch(/<users total_record_count="0"\s*\/>/);
    const either = await call('GET', `/users?q=primary_id~user1 OR primary_id~user2&limit=100`, format);
    // user1, user10, user11, user12 contain "user1"; user2.
    expect(
      format === 'json' ? either.json().total_record_count : /total_record_count="(\d+)"/.exec(either.text)![1],
    ).toBe(format === 'json' ? 5 : '5');
    const both = await call('GET', `/users?q=primary_id~user1* AND primary_id~*2`, format);
    expect(format === 'json' ? both.json().total_record_count : /total_record_count="(\d+)"/.exec(both.text)![1]).toBe(
      format === 'json' ? 1 : '1',
    );
    const bibs = mock.store
      .all('/almaws/v1/bibs')
      .slice(0, 2)
      .map((b) => String(b.mms_id));
    const byId = await call('GET', `/bibs?mms_id=${bibs.join(',')}`, format);
    if (format === 'json') expect((byId.json().bib as { mms_id: string }[]).map((b) => b.mms_id)).toEqual(bibs);
    else expect([...byId.text.matchAll(/<mms_id>(\d+)<\/mms_id>/g)].map((m) => m[1])).toEqual(bibs);
  });

  test('2. list entries are keyed as the list schema names them, not as the path suggests', async () => {
    const loans = await call('GET', '/users/user3/loans', format);
    if (format === 'json')
      expect(loans.json()).toMatchObject({
        item_loan: [expect.objectContaining({ user_id: 'user3' })],
        total_record_count: 1,
      });
    else expect(loans.text).toMatch(/<item_loans total_record_count="1"><item_loan(?: [^>]*)?>/);
    expect(loans.text).not.toMatch(/"loan"|<loans>/);
  });

  test('3. creating a record that exists is refused with the spec’s "already exists" code', async () => {
    const body =
      format === 'json'
        ? JSON.stringify({ primary_id: 'user4', first_name: 'Again' })
        : '<user><primary_id>user4</primary_id><first_name>Again</first_name></user>';
    const twice = await call('POST', '/users', format, { text: body, type: format });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain('401851');
    expect(twice.text).toContain('User with identifier user4 of type primary_id already exists.');
    expect(user(4).first_name).not.toBe('Again');
  });

  test('4. messages carry the request’s values', async () => {
    const missing = await call('GET', '/users/nobody?user_id_type=all_unique', format);
    expect(missing.text).toContain('User with identifier nobody of type all_unique was not found.');
    const bib = await call('GET', '/bibs/1234', format);
    expect(bib.status).toBe(400);
    expect(bib.text).toContain('Input parameters mmsId 1234 is not valid.');
  });

  test('5. a created bib gets its MMS id in 001 and title and author from 245 and 100', async () => {
    const marc =
      '<record><leader>00000nam a2200000 a 4500</leader><datafield ind1="1" ind2=" " tag="100"><subfield code="a">Woolf, Virginia,</subfield></datafield><datafield ind1="1" ind2="0" tag="245"><subfield code="a">Orlando :</subfield></datafield></record>';
    const created = await call('POST', '/bibs', format, { text: `<bib>${marc}</bib>`, type: 'xml' });
    expect(created.status).toBe(200);
    const mmsId = format === 'json' ? String(created.json().mms_id) : /<mms_id>(\d+)<\/mms_id>/.exec(created.text)![1]!;
    const read = await call('GET', `/bibs/${mmsId}`, format);
    expect(read.text).toMatch(new RegExp(`controlfield tag=(\\\\"|")001(\\\\"|")>${mmsId}<`));
    if (format === 'json') expect(read.json()).toMatchObject({ title: 'Orlando :', author: 'Woolf, Virginia,' });
    else
      expect(read.text).toMatch(
        /<title>Orlando :<\/title>[\s\S]*<author>Woolf, Virginia,<\/author>|<author>Woolf, Virginia,<\/author>[\s\S]*<title>Orlando :<\/title>/,
      );
  });

  test('6. holding_id=ALL: the items of every holding of the bib', async () => {
    const mmsId = String(firstBib().mms_id);
    const items = await call('GET', `/bibs/${mmsId}/holdings/ALL/items`, format);
    const expected = mock.store.all(`/almaws/v1/bibs/${mmsId}/holdings/ALL/items`).length;
    expect(expected).toBeGreaterThan(0);
    expect(
      format === 'json' ? (items.json().item as unknown[]).length : (items.text.match(/<item[ >]/g) ?? []).length,
    ).toBe(expected);
  });

  test('7. a holding: full record with its MARC; a list of holdings: brief entries with links, and the bib', async () => {
    const mmsId = String(firstBib().mms_id);
    const list = await call('GET', `/bibs/${mmsId}/holdings`, format);
    const holdingId =
      format === 'json'
        ? String((list.json().holding as { holding_id: string }[])[0]!.holding_id)
        : /<holding_id>(\d+)<\/holding_id>/.exec(list.text)![1]!;
    if (format === 'json') {
      expect(list.json()).toMatchObject({
        holding: [
          {
            link: expect.stringContaining(`/holdings/${holdingId}`),
            library: { value: expect.any(String) },
            location: { value: 'STACKS' },
          },
        ],
        bib_data: { mms_id: mmsId },
      });
      expect((list.json().holding as object[])[0]).not.toHaveProperty('anies');
    } else expect(list.text).toMatch(/<holding link="[^"]+">[\s\S]*<library[^>]*>[A-Z]+<\/library>[\s\S]*<bib_data/);
    const single = await call('GET', `/bibs/${mmsId}/holdings/${holdingId}`, format);
    expect(single.text).toMatch(/tag=\\?"852\\?"/);
    expect(single.text).toMatch(/created_date/);
    expect(single.text).not.toMatch(/"library"|<library/);
  });

  test('8. list entries link to themselves; acquisitions records have owner, status and dates', async () => {
    const vendors = await call('GET', '/acq/vendors?limit=2', format);
    expect(vendors.text).toMatch(/\/almaws\/v1\/acq\/vendors\/VENDOR1/);
    const fund = await call('GET', `/acq/funds/${String(mock.store.all('/almaws/v1/acq/funds')[0]!.id)}`, format);
    for (const field of ['owner', 'status', 'creation_date', 'fiscal_period']) expect(fund.text).toContain(field);
    const single = await call('GET', '/users/user1', format);
    if (format === 'json') expect(single.json().link).toBeNull();
  });

  test('9. lists Alma always writes are there, empty', async () => {
    const read = await call('GET', '/users/user2', format);
    if (format === 'json')
      expect(read.json()).toMatchObject({ user_note: [], user_block: [], user_role: [], user_statistic: [] });
    else expect(read.text).toMatch(/<user_notes\s*\/>|<user_notes><\/user_notes>/);
  });

  test('10. bodies are checked: JSON to an XML-only operation, a body of the wrong shape', async () => {
    const json = await call('POST', '/bibs', format, { text: JSON.stringify({ anies: ['<record/>'] }), type: 'json' });
    expect(json.status).toBe(415);
    const wrong = await call('PUT', '/users/user5', 'json', {
      text: JSON.stringify({ primary_id: 'user5', user_note: { note_text: 'a note, not a list of notes' } }),
      type: 'json',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('user_note must be a list');
  });

  test('11. passwords are never returned', async () => {
    const id = `pw-${format}`;
    const body =
      format === 'json'
        ? JSON.stringify({ primary_id: id, password: 'secret-1' })
        : `<user><primary_id>${id}</primary_id><password>secret-1</password></user>`;
    const created = await call('POST', '/users', format, { text: body, type: format });
    expect(created.status).toBe(200);
    expect(created.text).not.toContain('secret-1');
    expect((await call('GET', `/users/${id}`, format)).text).not.toContain('secret-1');
  });

  test('12. view=brief, expand and order_by/direction', async () => {
    const mmsId = String(firstBib().mms_id);
    expect((await call('GET', `/bibs/${mmsId}`, format)).text).toContain('record');
    expect((await call('GET', `/bibs/${mmsId}?view=brief`, format)).text).not.toMatch(/<record[ >]|anies/);
    const expanded = await call('GET', '/users/user3?expand=loans,requests,fees', format);
    if (format === 'json') expect(expanded.json()).toMatchObject({ loans: { value: '1' }, requests: { value: '0' } });
    else expect(expanded.text).toMatch(/<loans link="[^"]+">1<\/loans>/);
    const descending = await call('GET', '/users?order_by=primary_id&direction=DESC&limit=3', format);
    const ids =
      format === 'json'
        ? (descending.json().user as { primary_id: string }[]).map((u) => u.primary_id)
        : [...descending.text.matchAll(/<primary_id>([^<]+)<\/primary_id>/g)].map((m) => m[1]);
    // Numbers in identifiers sort as numbers, as Alma sorts them.
    expect(ids).toEqual(['user12', 'user11', 'user10']);
  });
});
