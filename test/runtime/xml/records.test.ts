import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadCodecTypes, type CodecTypes } from '../../../generator/convert/codec-types.js';
import { loadConfig } from '../../../generator/config.js';
import { jsonToXml, xmlToJson, type JsonObject } from '../../../runtime/xml/codec.js';
import {
  ANALYTICS_XML,
  bibXml,
  ERROR_XML,
  FEE_XML,
  HOLDING_XML,
  ITEM_XML,
  JOB_XML,
  LOAN_XML,
  SET_XML,
  USER_XML,
} from '../../fixtures/records.js';
import { REPO, SHARED_PAYLOADS } from '../../helpers/specs.js';
import { canonical } from '../../helpers/xml.js';

let types: CodecTypes;
beforeAll(() => {
  types = loadCodecTypes(loadConfig(path.join(REPO, 'alma-codegen.yaml')));
});

function roundTrip(xml: string, source: 'json-schema' | 'xsd' | 'untyped') {
  const root = /<([A-Za-z_][\w.-]*)[\s>/]/.exec(xml.replace(/<\?xml[^>]*\?>/, ''))![1]!;
  const found = types.byRoot(root);
  expect(found?.schema.source ?? 'untyped').toBe(source);
  const json = xmlToJson(xml, found?.xml);
  const back = jsonToXml(json, found?.xml, { rootName: root });
  expect(canonical(back)).toEqual(canonical(xml));
  const viaJson = JSON.parse(JSON.stringify(json)) as JsonObject;
  expect(xmlToJson(jsonToXml(viaJson, found?.xml, { rootName: root }), found?.xml)).toEqual(viaJson);
  return json;
}

describe('round trips of realistic records', () => {
  test('user (XSD): lists unwrapped, coded values, an unknown field kept', () => {
    const user = roundTrip(USER_XML, 'xsd');
    expect(user).toMatchObject({
      link: 'https://api-eu.hosted.exlibrisgroup.com/almaws/v1/users/jdoe',
      record_type: { desc: 'Public', value: 'PUBLIC' },
      user_identifier: [
        {
          segment_type: 'Internal',
          id_type: { desc: 'Barcode', value: 'BARCODE' },
          value: '000123456',
          status: 'ACTIVE',
        },
      ],
      user_block: [],
      contact_info: {
        email: [{ preferred: true }, { preferred: false, email_type: [{ value: 'work' }, { value: 'school' }] }],
      },
      user_note: [{ user_viewable: true, popup_note: false }],
      // Element text is a string, as in Alma's JSON (`"loans": { "value": "14" }`).
      loans: { value: '14' },
      fees: { value: '2.5' },
      future_field_from_exlibris: { flag: 'new', value: 'kept as is' },
    });
  });

  test('bib (XSD) with a 500-field MARC record in anies', () => {
    const bib = roundTrip(bibXml(500), 'xsd');
    expect(bib.mms_id).toBe('991023558879703811');
    expect(bib.network_number).toEqual(['(OCoLC)71777197', '(PPT)b32533019']);
    const anies = bib.anies as string[];
    expect(anies).toHaveLength(1);
    expect(anies[0]!.match(/<datafield /g)).toHaveLength(500);
    expect(anies[0]).toContain(
      '<datafield ind1=" " ind2=" " tag="020"><subfield code="a">Arts, American &amp; more (0)</subfield>',
    );
    expect(anies[0]).toContain('<![CDATA[<b>bold</b> & "quoted"]]>');
    expect(anies[0]).toContain('caf&#233; 0');
  });

  test('holding (XSD)', () =>
    expect(roundTrip(HOLDING_XML, 'xsd').anies).toEqual([expect.stringMatching(/^<record><leader>00209cx/)]));
  test('item (XSD)', () =>
    expect(roundTrip(ITEM_XML, 'xsd')).toMatchObject({
      item_data: { barcode: '39074015327711', base_status: { desc: 'Item in place', value: '1' } },
      bib_data: { network_number: ['(OCoLC)71777197'] },
    }));
  test('loan (XSD): booleans where the schema says', () =>
    expect(roundTrip(LOAN_XML, 'xsd')).toMatchObject({
      loan_id: '1234567890003811',
      circ_desk: { desc: 'Main desk', value: 'DEFAULT_CIRC_DESK' },
      renewable: true,
    }));
  test('fee (JSON schema): numbers where the schema says', () =>
    expect(roundTrip(FEE_XML, 'json-schema')).toMatchObject({
      balance: 25.5,
      original_amount: 30,
      transaction: [{ amount: 4.5, type: { value: 'PAYMENT' } }],
    }));
  test('set (JSON schema)', () =>
    expect(roundTrip(SET_XML, 'json-schema')).toMatchObject({ name: 'Lost books 2026', type: { value: 'ITEMIZED' } }));
  test('job (JSON schema)', () =>
    expect(roundTrip(JOB_XML, 'json-schema')).toMatchObject({
      id: 'M26714670000011',
      parameter: [{ value: 'MARC21_BINARY' }, { value: '0' }],
    }));
  test('analytics report (XSD): the QueryResult as anies, as Alma’s JSON has it', () =>
    expect(roundTrip(ANALYTICS_XML, 'xsd').anies).toEqual([expect.stringMatching(/^<QueryResult>/)]));
  test('error body (XSD with a namespace)', () =>
    expect(roundTrip(ERROR_XML, 'xsd')).toEqual({
      errorsExist: true,
      errorList: {
        error: [
          {
            errorCode: '401861',
            errorMessage: 'User with identifier jdoe was not found.',
            trackingId: 'E01-2811195814-ABCDE-AWAE1154567890',
          },
        ],
      },
    }));
});

describe('real payloads from public Alma projects', () => {
  const dir = path.join(SHARED_PAYLOADS, 'BIBSYSDEV+ALMA-API-Example-usage');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort();
  test.each(files)('%s round-trips', (file) => {
    const xml = readFileSync(path.join(dir, file), 'utf8');
    const root = /<([A-Za-z_][\w.-]*)[\s>/]/.exec(xml.replace(/<\?xml[^>]*\?>/, ''))![1]!;
    const found = types.byRoot(root);
    const json = xmlToJson(xml, found?.xml);
    expect(canonical(jsonToXml(json, found?.xml, { rootName: root }))).toEqual(canonical(xml));
  });

  test('XML and JSON payloads of the same kind decode to the same shape: a bib list', () => {
    const fromXml = xmlToJson(readFileSync(path.join(dir, 'bibs.xml'), 'utf8'), types.byRoot('bibs')!.xml);
    const fromJson = JSON.parse(
      readFileSync(path.join(SHARED_PAYLOADS, 'tulibraries+alma_rb/multiple_bibs.json'), 'utf8'),
    ) as JsonObject;
    const keysOf = (o: JsonObject) =>
      Object.keys((o.bib as JsonObject[])[0]!)
        .filter((k) => ['mms_id', 'network_number', 'anies', 'holdings'].includes(k))
        .sort();
    expect(keysOf(fromXml)).toEqual(keysOf(fromJson));
    expect(Array.isArray((fromXml.bib as JsonObject[])[0]!.network_number)).toBe(true);
  });
});
