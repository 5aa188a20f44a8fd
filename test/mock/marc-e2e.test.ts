import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../generator/config.js';
import { type FaultRule, type MockServer, startMockServer } from '../../mock/index.js';
import { withMock } from '../helpers/mock.js';
import { loadGenerated } from '../helpers/generated.js';
import { REPO } from '../helpers/specs.js';

/** MARC editing with the generated client over real HTTP against the mock, in both wire formats. */
type Package = {
  runtime: typeof import('../../output/alma-client/src/runtime/index.js');
  bibs: typeof import('../../output/alma-client/src/bibs.js');
};

const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
let mock: MockServer;
let pkg: Package;

beforeAll(async () => {
  mock = await startMockServer({ config, keys: [{ key: 'marc-key' }], perSecondLimit: 10_000, size: 4 });
  pkg = await loadGenerated<Package>(config, ['runtime/index', 'bibs']);
});
afterAll(() => mock.close());

const clientOf = (server: MockServer, format: 'json' | 'xml') =>
  pkg.runtime.createClient({ apiKey: 'marc-key', baseUrl: server.url, format });

/** A mock of its own with these faults, and the first bib's MMS id. */
async function withFaults<T>(faults: FaultRule[], body: (server: MockServer, mmsId: string) => Promise<T>): Promise<T> {
  return withMock({ config, keys: [{ key: 'marc-key' }], perSecondLimit: 10_000, size: 2, faults }, async (server) => {
    return body(server, bibIds(server)[0]!);
  });
}

/** The MMS ids of the bibs the mock was seeded with. */
const bibIds = (server: MockServer) => server.store.all('/almaws/v1/bibs').map((bib) => String(bib.mms_id));

/** What the mock was asked since `from`, as `METHOD /path` lines. */
const callsSince = (server: MockServer, from: number) =>
  server.log.entries.slice(from).map((e) => `${e.method} ${e.path.replace(/^\/almaws\/v1/, '')}`);

describe.each(['json', 'xml'] as const)('updateBibMarc over %s', (format) => {
  test('a verified save: read, read again, write; Alma sets 005 and derives the title; 001 is the MMS id', async () => {
    const alma = clientOf(mock, format);
    const mmsId = bibIds(mock)[0]!;
    const from = mock.log.entries.length;
    const result = await pkg.bibs.updateBibMarc(alma, { mmsId }, (marc) => {
      marc.getDataFields('245')[0]!.setSubfield('a', `Edited in ${format} /`);
      marc.addField(new pkg.runtime.DataField('590', ' ', ' ', [['a', 'Local note & more']]));
    });
    expect(result.written).toBe(true);
    expect(result.tries).toBe(1);
    expect(result.diff).toContain(`+ 245 `);
    expect(result.diff).toContain('+ 590 __ $a Local note & more');
    expect(callsSince(mock, from)).toEqual([`GET /bibs/${mmsId}`, `GET /bibs/${mmsId}`, `PUT /bibs/${mmsId}`]);

    const stored = await pkg.bibs.getBib(alma, { mmsId });
    expect(stored.title).toBe(`Edited in ${format} /`);
    const marc = pkg.runtime.marcOf(stored);
    expect(marc.controlField('001')).toBe(mmsId);
    expect(marc.controlField('005')).toMatch(/^\d{14}\.0$/);
    expect(marc.value('590', 'a')).toBe('Local note & more');
    expect(pkg.runtime.marcOf(result.updated!).value('590', 'a')).toBe('Local note & more');
  });

  test('an edit that changes nothing sends no PUT', async () => {
    const alma = clientOf(mock, format);
    const mmsId = bibIds(mock)[1]!;
    const from = mock.log.entries.length;
    const result = await pkg.bibs.updateBibMarc(alma, { mmsId }, (marc) => {
      const title = marc.getDataFields('245')[0]!;
      title.setSubfield('a', title.subfield('a')!);
    });
    expect(result).toMatchObject({ written: false, changes: [], diff: '' });
    expect(callsSince(mock, from)).toEqual([`GET /bibs/${mmsId}`]);
  });

  test('another writer between the read and the write: the edit is applied again to the fresh record', async () => {
    await withFaults(
      [{ kind: 'concurrent-edit', probability: 1, route: 'getBib', times: 1 }],
      async (server, mmsId) => {
        const alma = clientOf(server, format);
        const from = server.log.entries.length;
        const result = await pkg.bibs.updateBibMarc(alma, { mmsId }, (marc) => {
          marc.addField(new pkg.runtime.DataField('590', ' ', ' ', [['a', 'Mine']]));
        });
        expect(result.tries).toBe(2);
        expect(callsSince(server, from)).toEqual([
          `GET /bibs/${mmsId}`,
          `GET /bibs/${mmsId}`,
          `GET /bibs/${mmsId}`,
          `PUT /bibs/${mmsId}`,
        ]);
        const marc = pkg.runtime.marcOf(await pkg.bibs.getBib(alma, { mmsId }));
        // Both changes: the other writer's note, and this edit.
        expect(marc.value('500', 'a')).toMatch(/^Edited by another cataloguer/);
        expect(marc.value('590', 'a')).toBe('Mine');
      },
    );
  });

  test("onConflict: 'fail' throws AlmaConflictError with both versions, and writes nothing", async () => {
    await withFaults(
      [{ kind: 'concurrent-edit', probability: 1, route: 'getBib', times: 1 }],
      async (server, mmsId) => {
        const alma = clientOf(server, format);
        const from = server.log.entries.length;
        const error = await pkg.bibs
          .updateBibMarc(alma, { mmsId }, (marc) => void marc.setControlField('008', 'changed'), { onConflict: 'fail' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(pkg.runtime.AlmaConflictError);
        const conflict = error as InstanceType<typeof pkg.runtime.AlmaConflictError>;
        expect(conflict.message).toMatch(/the record changed since it was read/);
        expect(pkg.runtime.marcOf(conflict.before as { anies: string[] }).getFields('500')).toHaveLength(0);
        expect(pkg.runtime.marcOf(conflict.current as { anies: string[] }).value('500', 'a')).toMatch(/another/);
        expect(callsSince(server, from).filter((c) => c.startsWith('PUT'))).toEqual([]);
      },
    );
  });

  test('a field Alma silently drops is caught: AlmaVerifyError names it', async () => {
    await withFaults(
      [{ kind: 'drop-field', probability: 1, route: 'replaceBib', tag: '590' }],
      async (server, mmsId) => {
        const alma = clientOf(server, format);
        const error = await pkg.bibs
          .updateBibMarc(alma, { mmsId }, (marc) => {
            marc.addField(new pkg.runtime.DataField('590', ' ', ' ', [['a', 'Dropped']]));
            marc.getDataFields('245')[0]!.setSubfield('a', 'Kept /');
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(pkg.runtime.AlmaVerifyError);
        expect((error as InstanceType<typeof pkg.runtime.AlmaVerifyError>).fields).toEqual([
          '590 __ $a Dropped (sent, not stored)',
        ]);
      },
    );
  });

  test('a dry run prints the field-level diff and sends nothing', async () => {
    const alma = clientOf(mock, format);
    const mmsId = bibIds(mock)[2]!;
    const printed: string[] = [];
    const from = mock.log.entries.length;
    const result = await pkg.bibs.updateBibMarc(
      alma,
      { mmsId },
      (marc) => void marc.getDataFields('245')[0]!.setSubfield('a', 'Dry /'),
      { dryRun: true, print: (text) => printed.push(text) },
    );
    expect(result.written).toBe(false);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^- 245 \S\S \$a .*\n\+ 245 \S\S \$a Dry \//);
    expect(callsSince(mock, from)).toEqual([`GET /bibs/${mmsId}`]);
  });

  test('a bib created from a MarcRecord gets its MMS id in 001 (the leader first) and its title from 245', async () => {
    const alma = clientOf(mock, format);
    const marc = new pkg.runtime.MarcRecord('00000nam a2200000 a 4500');
    marc.addField(new pkg.runtime.DataField('245', '0', '0', [['a', `Created over ${format} /`]]));
    marc.addField(new pkg.runtime.DataField('100', '1', ' ', [['a', 'Doe, Jane.']]));
    const created = await pkg.bibs.createBib(alma, { body: pkg.runtime.withMarc({}, marc) });
    const back = pkg.runtime.marcOf(created);
    expect(back.controlField('001')).toBe(created.mms_id);
    expect(back.fields[0]!.tag).toBe('001');
    expect(back.toXml()).toMatch(/^<record><leader>00000nam a2200000 a 4500<\/leader><controlfield tag="001">/);
    expect(created).toMatchObject({ title: `Created over ${format} /`, author: 'Doe, Jane.', record_format: 'marc21' });
  });
});

describe('updateBib (safeUpdate) has the same guards', () => {
  test('no change, no PUT; a change made meanwhile by someone else is never overwritten', async () => {
    await withFaults(
      [{ kind: 'concurrent-edit', probability: 1, route: 'getBib', times: 1 }],
      async (server, mmsId) => {
        const alma = clientOf(server, 'json');
        const from = server.log.entries.length;
        const error = await pkg.bibs
          .updateBib(
            alma,
            { mmsId },
            (bib) => {
              bib.suppress_from_publishing = 'true';
            },
            { onConflict: 'fail' },
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(pkg.runtime.AlmaConflictError);
        const unchanged = await pkg.bibs.updateBib(alma, { mmsId }, () => undefined);
        expect(unchanged).toMatchObject({ written: false, changes: [] });
        expect(callsSince(server, from).filter((c) => c.startsWith('PUT'))).toEqual([]);
      },
    );
  });
});
