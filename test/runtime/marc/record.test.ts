import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { availabilityOf } from '../../../runtime/marc/availability.js';
import { diffRecords, formatMarcDiff } from '../../../runtime/marc/diff.js';
import { marcOf, withMarc } from '../../../runtime/marc/embedded.js';
import { ControlField, DataField, tagMatches } from '../../../runtime/marc/fields.js';
import { MarcError, MarcRecord } from '../../../runtime/marc/record.js';
import { SHARED_PAYLOADS } from '../../helpers/specs.js';
import { marcPayloads } from '../../helpers/marc.js';

const COMPACT =
  '<?xml version="1.0" encoding="UTF-16"?>\n<record><leader>00783cam a2200241 a 4500</leader>' +
  '<controlfield tag="001">991234</controlfield><controlfield tag="008">841221s1942    paua          000 1 eng</controlfield>' +
  '<datafield ind1="1" ind2="0" tag="245"><subfield code="a">War &amp; peace /</subfield><subfield code="c">Leo Tolstoy.</subfield></datafield>' +
  '<datafield ind1=" " ind2="0" tag="650"><subfield code="a">Russia</subfield><subfield code="x">History</subfield><subfield code="x">1801-1917</subfield></datafield>' +
  '<datafield ind1=" " ind2="0" tag="650"><subfield code="a">Napoleonic Wars, 1800-1815</subfield></datafield>' +
  '<datafield ind1=" " ind2="0" tag="650"><subfield code="a">Historical fiction</subfield></datafield>' +
  '<datafield ind1=" " ind2=" " tag="INST"><subfield code="a">01TULI_INST</subfield></datafield></record>';

const PRETTY = `<record>
    <leader>00783cam a2200241 a 4500</leader>
    <controlfield tag="001">991234</controlfield>
    <datafield ind1="1" ind2="0" tag="245">
        <subfield code="a">War and peace /</subfield>
    </datafield>
    <datafield ind1=" " ind2="0" tag="650">
        <subfield code="a">Russia</subfield>
    </datafield>
</record>`;

describe('MarcRecord: lossless', () => {
  const payloads = marcPayloads();
  test.skipIf(payloads.length === 0)(
    'every MARC record in ../shared/alma-payloads (bibs, holdings; JSON and XML) comes back byte-identical',
    () => {
      expect(payloads.length).toBeGreaterThanOrEqual(10);
      expect(new Set(payloads.map((p) => p.format))).toEqual(new Set(['json', 'xml']));
      for (const { source, text } of payloads) expect(MarcRecord.fromXml(text).toXml(), source).toBe(text);
    },
  );

  test.skipIf(payloads.length === 0)('an edit of one subfield changes that field only, in every real record', () => {
    for (const { source, text } of payloads) {
      const record = MarcRecord.fromXml(text);
      const field = record.getDataFields().find((f) => f.subfields.length > 0);
      if (!field) continue;
      const before = field.subfields[0]!;
      field.setSubfield(before.code, `${before.value} (edited)`);
      const after = record.toXml();
      const [start, end] = changedSpan(text, after);
      expect(after.slice(start, after.length - end), source).toMatch(/^[^<]*\(edited\)/);
      expect(after.length - text.length, source).toBe(' (edited)'.length);
    }
  });

  test('the marc: prefix and the MARC namespace are kept, and new fields use the prefix', () => {
    const text = COMPACT.replace(/<(\/?)(record|leader|controlfield|datafield|subfield)/g, '<$1marc:$2').replace(
      '<marc:record>',
      '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">',
    );
    const record = MarcRecord.fromXml(text);
    expect(record.toXml()).toBe(text);
    expect(record.value('245', 'a')).toBe('War & peace /');
    record.addField(new DataField('590', ' ', ' ', [['a', 'Local note']]));
    expect(record.toXml()).toContain(
      '<marc:datafield ind1=" " ind2=" " tag="590"><marc:subfield code="a">Local note</marc:subfield></marc:datafield>',
    );
    const namespaced = COMPACT.replace('<record>', '<record xmlns="http://www.loc.gov/MARC21/slim">');
    expect(MarcRecord.fromXml(namespaced).toXml()).toBe(namespaced);
  });

  test('a new field in a pretty-printed record is indented like its neighbours', () => {
    const record = MarcRecord.fromXml(PRETTY);
    record.addField(new DataField('500', ' ', ' ', [['a', 'A note.']]));
    expect(record.toXml()).toBe(
      PRETTY.replace(
        '    <datafield ind1=" " ind2="0" tag="650">',
        '    <datafield ind1=" " ind2=" " tag="500">\n        <subfield code="a">A note.</subfield>\n    </datafield>\n    <datafield ind1=" " ind2="0" tag="650">',
      ),
    );
  });

  test('whitespace in values, non-ASCII and combining characters, and escaping survive a write', () => {
    const record = MarcRecord.fromXml(COMPACT);
    const values = [
      '  two  spaces  ',
      'Voĭna i mir',
      'Cafe\u0301 e\u0301te\u0301',
      'a & b < c > d "quoted"',
      'line\r\nend',
    ];
    const field = record.addField(
      new DataField(
        '500',
        ' ',
        ' ',
        values.map((v) => ['a', v] as [string, string]),
      ),
    );
    field.ind1 = '_';
    const again = MarcRecord.fromXml(record.toXml());
    expect(again.getDataFields('500')[0]!.getSubfields('a')).toEqual(values);
    expect(again.getDataFields('500')[0]!.ind1).toBe(' ');
    expect(record.toXml()).toContain('a &amp; b &lt; c &gt; d "quoted"');
    expect(record.toXml()).not.toContain('&amp;amp;');
  });

  test('a value XML 1.0 cannot carry is refused, naming the field; nothing is written', () => {
    const record = MarcRecord.fromXml(COMPACT);
    record.getDataFields('245')[0]!.setSubfield('a', 'bad\u0007bell');
    expect(() => record.toXml()).toThrowError(MarcError);
    expect(() => record.toXml()).toThrowError(/field 245 \$a: U\+0007 at position 3/);
    record.getDataFields('245')[0]!.setSubfield('a', 'fine \uD83D\uDCDA');
    expect(MarcRecord.fromXml(record.toXml()).value('245', 'a')).toBe('fine \uD83D\uDCDA');
  });

  test('malformed MARCXML is a MarcError that says where', () => {
    expect(() => MarcRecord.fromXml('<record><datafield tag="245"></record>')).toThrowError(/not well-formed.*line 1/);
    expect(() => MarcRecord.fromXml('<bib/>')).toThrowError(/expected a MARC <record>, found <bib>/);
    expect(() => MarcRecord.fromXml('<record><datafield ind1="12" ind2=" " tag="245"/></record>')).toThrowError(
      /field 245: an indicator is one character/,
    );
  });
});

describe('MarcRecord: editing as cataloguers do', () => {
  test('repeated fields stay repeated: three 650s in, three out, in order', () => {
    const record = MarcRecord.fromXml(COMPACT);
    expect(record.getFields('650').map((f) => (f as DataField).subfield('a'))).toEqual([
      'Russia',
      'Napoleonic Wars, 1800-1815',
      'Historical fiction',
    ]);
    const second = record.getDataFields('650')[1]!;
    second.setSubfield('a', 'Napoleonic Wars, 1800-1815 -- Fiction');
    const again = MarcRecord.fromXml(record.toXml());
    expect(again.getDataFields('650')).toHaveLength(3);
    expect(again.getDataFields('650')[1]!.subfield('a')).toBe('Napoleonic Wars, 1800-1815 -- Fiction');
  });

  test('repeated subfield codes: each one can be read, set and removed', () => {
    const field = MarcRecord.fromXml(COMPACT).getDataFields('650')[0]!;
    expect(field.getSubfields('x')).toEqual(['History', '1801-1917']);
    field.setSubfield('x', '1801-1825', 1);
    expect(field.getSubfields('x')).toEqual(['History', '1801-1825']);
    field.addSubfield('v', 'Fiction', 1);
    expect(field.subfields.map((s) => s.code)).toEqual(['a', 'v', 'x', 'x']);
    expect(field.removeSubfields('x', 0)).toBe(1);
    expect(field.toString()).toBe('650 _0 $a Russia $v Fiction $x 1801-1825');
  });

  test.each([
    ['100', ['001', '008', '100', '245', '650', '650', '650', 'INST']],
    ['650', ['001', '008', '245', '650', '650', '650', '650', 'INST']],
    ['999', ['001', '008', '245', '650', '650', '650', '999', 'INST']],
    ['AVA', ['001', '008', '245', '650', '650', '650', 'AVA', 'INST']],
    ['005', ['001', '005', '008', '245', '650', '650', '650', 'INST']],
  ])('a new %s goes in tag order', (tag, order) => {
    const record = MarcRecord.fromXml(COMPACT);
    record.addField(/^00/.test(tag) ? new ControlField(tag, 'x') : new DataField(tag, ' ', ' ', [['a', 'x']]));
    expect(record.fields.map((f) => f.tag)).toEqual(order);
  });

  test('finding fields: by tag, by pattern (6XX, 6..), by subfield value; control fields and the leader', () => {
    const record = MarcRecord.fromXml(COMPACT);
    expect(record.getFields('6XX')).toHaveLength(3);
    expect(record.getFields('6..', '245')).toHaveLength(4);
    expect(record.getFields(/^[A-Z]/).map((f) => f.tag)).toEqual(['INST']);
    expect(record.findFields('650', 'a', /^Napoleonic/)).toHaveLength(1);
    expect(record.controlField('001')).toBe('991234');
    expect(record.leader).toBe('00783cam a2200241 a 4500');
    expect(tagMatches('650', '6X0')).toBe(true);
    expect(tagMatches('651', '6X0')).toBe(false);
  });

  test('insert, replace and remove fields; control fields and the leader change only themselves', () => {
    const record = MarcRecord.fromXml(COMPACT);
    const [first] = record.getDataFields('650');
    record.insertField(new DataField('651', ' ', '0', [['a', 'Russia']]), { before: first! });
    record.replaceField(
      record.getDataFields('650')[2]!,
      new DataField('655', ' ', '7', [['a', 'Historical fiction.']]),
    );
    expect(record.removeFields('INST')).toBe(1);
    record.setControlField('001', '99999');
    record.leader = '00783cam a2200241 a 4501';
    expect(record.fields.map((f) => f.tag)).toEqual(['001', '008', '245', '651', '650', '650', '655']);
    const text = record.toXml();
    expect(text).toContain('<controlfield tag="001">99999</controlfield><controlfield tag="008">');
    expect(text).toContain('<leader>00783cam a2200241 a 4501</leader>');
    expect(MarcRecord.fromXml(text).toString()).toBe(record.toString());
  });

  test('a record made from nothing reads back the same', () => {
    const record = new MarcRecord('00000nam a2200000 a 4500');
    record.addField(new DataField('245', '0', '0', [['a', 'A new title']]));
    record.addField(new ControlField('008', '841221s1942    paua          000 1 eng'));
    const text = record.toXml();
    expect(text).toBe(
      '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="008">841221s1942    paua          000 1 eng</controlfield><datafield ind1="0" ind2="0" tag="245"><subfield code="a">A new title</subfield></datafield></record>',
    );
    expect(MarcRecord.fromXml(text).toString()).toBe(record.toString());
  });

  test('a field-level diff, as a dry run prints it', () => {
    const before = MarcRecord.fromXml(COMPACT);
    const after = MarcRecord.fromXml(COMPACT);
    after.getDataFields('650')[2]!.setSubfield('a', 'War stories');
    after.addField(new DataField('590', ' ', ' ', [['a', 'Local']]));
    expect(formatMarcDiff(diffRecords(before, after))).toBe(
      ['+ 590 __ $a Local', '- 650 _0 $a Historical fiction', '+ 650 _0 $a War stories'].join('\n'),
    );
    expect(diffRecords(before, MarcRecord.fromXml(COMPACT))).toEqual([]);
  });

  test('on the records: marcOf and withMarc in one call each', () => {
    const bib = { mms_id: '991234', anies: [COMPACT] };
    const record = marcOf(bib);
    record.getDataFields('245')[0]!.setSubfield('a', 'War and peace /');
    expect(withMarc(bib, record)).toBe(bib);
    expect(bib.anies[0]).toContain('<subfield code="a">War and peace /</subfield>');
    expect(withMarc({} as { anies?: string[] }, new MarcRecord()).anies).toHaveLength(1);
    expect(() => marcOf({ mms_id: '1' } as { anies?: string[] })).toThrowError(/view=full/);
  });
});

describe('availability (AVA/AVE/AVD) as typed objects', () => {
  const file = path.join(SHARED_PAYLOADS, 'tulibraries+alma_rb/multiple_bibs.json');
  test.skipIf(!existsSync(file))('from real bibs', () => {
    const bibs = JSON.parse(readFileSync(file, 'utf8')) as { bib: { anies: string[] }[] };
    const physical = bibs.bib.flatMap((b) => availabilityOf(marcOf(b)).physical);
    expect(physical.length).toBeGreaterThan(3);
    expect(physical[0]).toMatchObject({
      institution: '01TULI_INST',
      library: 'MAIN',
      libraryName: 'Paley Library',
      location: 'stacks',
      locationName: 'Stacks',
      availability: 'available',
      totalItems: 2,
      unavailableItems: 0,
    });
    expect(physical.find((p) => p.holdingsInformation.length === 3)?.holdingsInformation).toEqual([
      'holding-1',
      'holding-2',
      'holding-3',
    ]);
  });

  test('electronic and digital', () => {
    const record = MarcRecord.fromXml(COMPACT);
    record.addField(
      new DataField('AVE', ' ', ' ', [
        ['8', '531234'],
        ['c', '611234'],
        ['m', 'JSTOR'],
        ['e', 'Available'],
        ['s', 'Available from 1990'],
      ]),
    );
    record.addField(
      new DataField('AVD', ' ', ' ', [
        ['b', '121234'],
        ['c', 'REPRESENTATION'],
        ['e', 'Scan'],
      ]),
    );
    const { electronic, digital } = availabilityOf(record);
    expect(electronic[0]).toMatchObject({
      portfolioId: '531234',
      collectionName: 'JSTOR',
      coverage: 'Available from 1990',
    });
    expect(digital[0]).toMatchObject({ representationId: '121234', type: 'REPRESENTATION', label: 'Scan' });
  });
});

/** Where two texts start and stop differing: [common prefix length, common suffix length]. */
function changedSpan(a: string, b: string): [number, number] {
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [start, end];
}
