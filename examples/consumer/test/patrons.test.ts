import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AlmaReadOnlyError, createClient, getUser, type WireFormat } from 'alma-client';
import { startMockServer, type MockServer } from 'alma-codegen/mock';
import { allPatronIds, patronSummary, setJobDescription } from '../src/patrons.js';

// The mock serves the API of the specs in alma-codegen's configuration (the repository's own, by default).
const config = process.env.ALMA_CODEGEN_CONFIG ?? path.resolve('../../alma-codegen.yaml');

for (const format of ['json', 'xml'] satisfies WireFormat[]) {
  describe(`the patron tools, ${format.toUpperCase()} on the wire`, () => {
    let mock: MockServer;
    before(async () => {
      mock = await startMockServer({
        config,
        size: 20,
        keys: [{ key: 'test-key' }, { key: 'read-key', plan: 'read-only' }],
      });
    });
    after(() => mock.close());
    const alma = () => createClient({ apiKey: 'test-key', baseUrl: mock.url, format });

    test('a summary of a patron', async () => {
      const contentTypes: string[] = [];
      const client = createClient({
        apiKey: 'test-key',
        baseUrl: mock.url,
        format,
        onResponse: (e) => contentTypes.push(e.headers['content-type'] ?? ''),
      });
      const summary = await patronSummary(client, 'user1');
      assert.equal(summary?.id, 'user1');
      assert.ok(summary.name.length > 0);
      assert.equal(typeof summary.owed, 'number');
      assert.deepEqual(
        contentTypes.map((t) => t.split(';')[0]),
        [`application/${format}`, `application/${format}`],
      );
    });

    test('fields without a value (null in JSON, absent in XML) read the same in both formats', async () => {
      const client = alma();
      // The mock seeds every third patron without an expiry date, and campus codes without a description.
      const summary = await patronSummary(client, 'user3');
      assert.equal(summary?.expires, undefined);
      assert.equal(summary?.campus, 'MAIN');
      assert.match((await patronSummary(client, 'user1'))?.expires ?? '', /^\d{4}-\d{2}-\d{2}$/);
      const user = await getUser(client, { userId: 'user3' });
      // What arrives is kept as received: Alma's JSON says null, its XML has no element.
      assert.equal(user.expiry_date, format === 'json' ? null : undefined);
    });

    test('an unknown patron is undefined, not an error', async () => {
      assert.equal(await patronSummary(alma(), 'nobody-here'), undefined);
    });

    test('every patron, across pages', async () => {
      const ids = await allPatronIds(alma(), 7);
      assert.equal(ids.length, 20);
      assert.equal(new Set(ids).size, 20);
    });

    test('a safe update changes one field and keeps the rest', async () => {
      const client = alma();
      const before = await getUser(client, { userId: 'user2' });
      await setJobDescription(client, 'user2', 'Night shift');
      const after = await getUser(client, { userId: 'user2' });
      const { job_description: changed, ...rest } = after;
      const { job_description: was, ...restBefore } = before;
      assert.equal(changed, 'Night shift');
      assert.equal(was ?? undefined, undefined);
      assert.deepEqual(rest, restBefore);
    });

    test('a read-only client refuses to write, before anything is sent', async () => {
      const readOnly = createClient({ apiKey: 'read-key', baseUrl: mock.url, format, readOnly: true });
      const sent = mock.log.entries.length;
      await assert.rejects(setJobDescription(readOnly, 'user3', 'x'), AlmaReadOnlyError);
      assert.equal(mock.log.entries.length, sent + 2); // the GET, and the GET that checks for a change meanwhile
    });
  });
}
