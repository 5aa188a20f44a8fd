import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, DataField, getBib, marcOf, replaceBib, withMarc, type WireFormat } from 'alma-client';
import { startMockServer, type MockServer } from 'alma-codegen/mock';
import { addLocalNote, moveHeading } from '../src/catalogue.js';

const config = process.env.ALMA_CODEGEN_CONFIG ?? path.resolve('../../alma-codegen.yaml');

for (const format of ['json', 'xml'] satisfies WireFormat[]) {
  describe(`the catalogue tools, ${format.toUpperCase()} on the wire`, () => {
    let mock: MockServer;
    let mmsId: string;
    before(async () => {
      mock = await startMockServer({ config, size: 3, keys: [{ key: 'test-key' }] });
      mmsId = String(mock.store.all('/almaws/v1/bibs')[0]!.mms_id);
      // A subject heading to move, put in place with the plain client.
      const alma = createClient({ apiKey: 'test-key', baseUrl: mock.url, format: 'xml' });
      const bib = await getBib(alma, { mmsId });
      const marc = marcOf(bib);
      marc.addField(
        new DataField('650', ' ', '0', [
          ['a', 'Cats'],
          ['x', 'Behavior'],
        ]),
      );
      await replaceBib(alma, { mmsId, body: withMarc(bib, marc) });
    });
    after(() => mock.close());
    const alma = () => createClient({ apiKey: 'test-key', baseUrl: mock.url, format });

    test('a local note, once: a second run sends nothing', async () => {
      const first = await addLocalNote(alma(), mmsId, 'Gift of the Friends of the Library.');
      assert.equal(first.written, true);
      assert.match(first.diff, /^\+ 590 __ \$a Gift of the Friends of the Library\.$/m);
      const puts = mock.log.entries.filter((e) => e.method === 'PUT').length;
      const again = await addLocalNote(alma(), mmsId, 'Gift of the Friends of the Library.');
      assert.equal(again.written, false);
      assert.equal(mock.log.entries.filter((e) => e.method === 'PUT').length, puts);
    });

    test('a heading moved: a dry run first, then the change, verified', async () => {
      const printed: string[] = [];
      const dry = await moveHeading(alma(), mmsId, 'Cats', 'Cats as pets', {
        dryRun: true,
        print: (d) => printed.push(d),
      });
      assert.equal(dry.written, false);
      assert.deepEqual(printed, ['- 650 _0 $a Cats $x Behavior\n+ 650 _0 $a Cats as pets $x Behavior']);
      const done = await moveHeading(alma(), mmsId, 'Cats', 'Cats as pets');
      assert.equal(done.written, true);
      const marc = marcOf(await getBib(alma(), { mmsId }));
      assert.deepEqual(marc.findFields('650', 'a', 'Cats as pets')[0]?.getSubfields(), ['Cats as pets', 'Behavior']);
      assert.equal(marc.findFields('650', 'a', 'Cats').length, 0);
    });
  });
}
