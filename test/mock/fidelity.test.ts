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
    // The same field twice in one AND group: Alma answers no entries and -1 (php-alma-client #8).
    const both = await call('GET', `/users?q=primary_id~user1* AND primary_id~*2`, format);
    expect(
      format === 'json' ? both.json().total_record_count : /total_record_count="(-?\d+)"/.exec(both.text)![1],
    ).toBe(format === 'json' ? -1 : '-1');
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
    // A GET answers with the plainest not-found code it documents (401861); a PUT or DELETE with 401890, typed.
    const missing = await call('GET', '/users/nobody?user_id_type=all_unique', format);
    expect(missing.text).toContain('401861');
    expect(missing.text).toContain('User with identifier nobody was not found.');
    const deleted = await call('DELETE', '/users/nobody?user_id_type=all_unique', format);
    expect(deleted.text).toContain('401890');
    expect(deleted.text).toContain('User with identifier nobody of type all_unique was not found.');
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
    // The code the operation's spec lists for it: 400, 60105 "JSON is not supported for this API."
    const json = await call('POST', '/bibs', format, { text: JSON.stringify({ anies: ['<record/>'] }), type: 'json' });
    expect(json.status).toBe(400);
    expect(json.text).toContain('60105');
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

/** What third-party clients met on the mock that Alma does otherwise (issue #27), in both formats. */
describe.each(FORMATS)('as Alma answers, over %s', (format) => {
  test('an identifier list that names nothing: the spec’s 402203, not an empty list', async () => {
    for (const param of ['mms_id=1234', 'other_system_id=no-such-system-id', 'nz_mms_id=990000000000000000']) {
      const answer = await call('GET', `/bibs?${param}`, format);
      expect(answer.status, param).toBe(400);
      expect(answer.text, param).toContain('402203');
      expect(answer.text, param).toMatch(/Input parameters \w+ [\w-]+ is not valid\./);
    }
    const mmsId = String(firstBib().mms_id);
    expect((await call('GET', `/bibs?mms_id=${mmsId}`, format)).status).toBe(200);
  });

  test('a created holding keeps its leader first, gets 001 and the output fields Alma sets', async () => {
    const mmsId = String(firstBib().mms_id);
    const record =
      '<record><leader>00209cx  a22000851n 4500</leader><datafield ind1="0" ind2=" " tag="852"><subfield code="b">MAIN</subfield><subfield code="c">STACKS</subfield></datafield></record>';
    const created = await call('POST', `/bibs/${mmsId}/holdings`, format, {
      text: `<holding>${record}</holding>`,
      type: 'xml',
    });
    expect(created.status).toBe(200);
    const holdingId =
      format === 'json' ? String(created.json().holding_id) : /<holding_id>(\d+)</.exec(created.text)![1]!;
    const stored = mock.store.get(`/almaws/v1/bibs/${mmsId}/holdings`, holdingId)!;
    expect(String((stored.anies as string[])[0])).toMatch(
      new RegExp(
        `^<record><leader>00209cx  a22000851n 4500</leader><controlfield tag="001">${holdingId}</controlfield>`,
      ),
    );
    expect(stored).toMatchObject({ created_by: 'API', last_modified_by: 'API' });
    expect(String(stored.created_date)).toMatch(/^\d{4}-\d{2}-\d{2}Z$/);
  });

  test('unlink_from_nz on a bib not linked to the Network Zone is refused with Alma’s error', async () => {
    const local = mock.store.all('/almaws/v1/bibs').find((b) => !b.linked_record_id)!;
    const answer = await call('POST', `/bibs/${String(local.mms_id)}?op=unlink_from_nz`, format, {
      text: '<bib/>',
      type: 'xml',
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('40166453');
    const linked = mock.store.all('/almaws/v1/bibs').find((b) => b.linked_record_id)!;
    const unlinked = await call('POST', `/bibs/${String(linked.mms_id)}?op=unlink_from_nz`, format, {
      text: '<bib/>',
      type: 'xml',
    });
    expect(unlinked.status).toBe(200);
    expect(linked.linked_record_id).toBeUndefined();
  });

  test('GET /users gives brief users unless expand=full (the spec’s default is none)', async () => {
    const brief = await call('GET', '/users?q=primary_id~user2&limit=100', format);
    const full = await call('GET', '/users?q=primary_id~user2&limit=100&expand=full', format);
    if (format === 'json') {
      const entry = (answer: typeof brief) =>
        (answer.json().user as Record<string, unknown>[]).find((u) => u.primary_id === 'user2')!;
      expect(Object.keys(entry(brief))).not.toContain('user_identifier');
      expect(entry(brief)).toMatchObject({
        primary_id: 'user2',
        last_name: expect.any(String),
        link: expect.any(String),
      });
      expect(Object.keys(entry(full))).toContain('user_identifier');
    } else {
      expect(brief.text).not.toContain('<user_identifiers>');
      expect(full.text).toContain('<user_identifiers>');
    }
  });

  test('holdings lists name the library and location; fees carry user_primary_id as the schema says, and lists their sum', async () => {
    const mmsId = String(firstBib().mms_id);
    const holdings = await call('GET', `/bibs/${mmsId}/holdings`, 'json');
    const holding = (holdings.json().holding as Record<string, { value: string; desc: string | null }>[])[0]!;
    expect(holding.library?.desc).toEqual(expect.any(String));
    expect(holding.location?.desc).toEqual(expect.any(String));
    const withFees = mock.store
      .all('/almaws/v1/users')
      .find((u) => mock.store.all(`/almaws/v1/users/${String(u.primary_id)}/fees`).length)!;
    const fees = await call('GET', `/users/${String(withFees.primary_id)}/fees`, format);
    if (format === 'json') {
      const body = fees.json();
      expect(body).toMatchObject({ total_sum: expect.any(Number), currency: expect.any(String) });
      expect((body.fee as Record<string, unknown>[])[0]!.user_primary_id).toMatchObject({
        value: withFees.primary_id,
        link: expect.any(String),
      });
    } else {
      expect(fees.text).toMatch(/<fees [^>]*total_sum="[\d.]+"/);
      expect(fees.text).toMatch(/<fees [^>]*currency="\w+"/);
    }
  });

  test('a PUT recomputes full_name (an output parameter: what is sent for it is ignored)', async () => {
    const before = user(7);
    const body = {
      ...structuredClone(before),
      first_name: 'Ada',
      last_name: 'Lovelace',
      full_name: 'ignored',
      created_date: '1999-01-01Z',
    };
    const text = format === 'json' ? JSON.stringify(body) : undefined;
    const put = text
      ? await call('PUT', '/users/user7', 'json', { text, type: 'json' })
      : await call('PUT', '/users/user7', 'json', { text: JSON.stringify(body), type: 'json' });
    expect(put.status).toBe(200);
    expect(user(7).full_name).toBe(['Ada', before.middle_name, 'Lovelace'].filter(Boolean).join(' '));
  });

  test('single GETs carry a link to themselves where Alma’s do (an item, a library, a location), a user’s is null', async () => {
    const item = mock.store.all('/almaws/v1/bibs/ALL/holdings/ALL/items')[0]!;
    const ids = item as {
      bib_data: { mms_id: string };
      holding_data: { holding_id: string };
      item_data: { pid: string };
    };
    const itemPath = `/bibs/${ids.bib_data.mms_id}/holdings/${ids.holding_data.holding_id}/items/${ids.item_data.pid}`;
    const library = String(mock.store.all('/almaws/v1/conf/libraries')[0]!.code);
    const location = String(mock.store.all(`/almaws/v1/conf/libraries/${library}/locations`)[0]!.code);
    for (const path of [itemPath, `/conf/libraries/${library}`, `/conf/libraries/${library}/locations/${location}`]) {
      const answer = await call('GET', path, format);
      const link = format === 'json' ? answer.json().link : /<(?!\?)\w+[^>]*\slink="([^"]+)"/.exec(answer.text)?.[1];
      expect(link, path).toBe(`${mock.url}/almaws/v1${path}`);
    }
    const single = await call('GET', '/users/user1', format);
    if (format === 'json') expect(single.json().link).toBeNull();
    else expect(single.text).not.toMatch(/<user [^>]*link=/);
  });
});
