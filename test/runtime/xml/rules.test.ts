import { describe, expect, test } from 'vitest';
import { jsonToXml, xmlToJson, type JsonObject } from '../../../runtime/xml/codec.js';
import type { XmlType } from '../../../runtime/xml/schema.js';
import { canonical } from '../../helpers/xml.js';

const coded: XmlType = {
  props: [
    { key: 'value', kind: 'text' },
    { key: 'desc', kind: 'attribute' },
  ],
};
const identifier: XmlType = {
  props: [
    { key: 'segment_type', kind: 'attribute' },
    { key: 'id_type', type: coded },
    { key: 'value' },
    { key: 'status' },
  ],
};
const user: XmlType = {
  root: 'user',
  props: [
    { key: 'link', kind: 'attribute' },
    { key: 'primary_id' },
    { key: 'status', type: coded },
    { key: 'birth_date' },
    {
      key: 'loans',
      type: {
        props: [
          { key: 'link', kind: 'attribute' },
          { key: 'value', kind: 'text', scalar: 'number' },
        ],
      },
    },
    { key: 'force_password_change', scalar: 'boolean' },
    { key: 'user_identifier', wrapper: 'user_identifiers', list: true, type: identifier },
    { key: 'note', name: 'user_note', list: true },
  ],
};
const bib: XmlType = {
  root: 'bib',
  props: [{ key: 'mms_id' }, { key: 'title' }, { key: 'anies', kind: 'any', list: true }],
};
const users: XmlType = {
  root: 'users',
  props: [
    { key: 'user', list: true, type: () => user },
    { key: 'total_record_count', kind: 'attribute', scalar: 'number' },
  ],
};
const report: XmlType = { root: 'report', props: [{ key: 'anies', kind: 'any', list: true }] };
const webServiceResult: XmlType = {
  root: 'web_service_result',
  namespace: 'http://com/exlibris/urm/general/xmlbeans',
  props: [
    { key: 'errorsExist', scalar: 'boolean' },
    {
      key: 'errorList',
      type: {
        props: [
          {
            key: 'error',
            list: true,
            type: { props: [{ key: 'errorCode' }, { key: 'errorMessage' }, { key: 'trackingId' }] },
          },
        ],
      },
    },
  ],
};

describe('XML → JSON by Alma’s rules', () => {
  const cases: { name: string; type: XmlType | undefined; xml: string; json: JsonObject }[] = [
    {
      name: 'attributes become keys',
      type: user,
      xml: '<user link="https://x/users/1"><primary_id>jdoe</primary_id></user>',
      json: { link: 'https://x/users/1', primary_id: 'jdoe' },
    },
    {
      name: 'text with attributes becomes {value, desc}',
      type: user,
      xml: '<user><status desc="Active">ACTIVE</status></user>',
      json: { status: { desc: 'Active', value: 'ACTIVE' } },
    },
    {
      name: 'wrapped lists are unwrapped',
      type: user,
      xml: '<user><user_identifiers><user_identifier segment_type="Internal"><id_type desc="Barcode">BARCODE</id_type><value>123</value></user_identifier><user_identifier><value>456</value></user_identifier></user_identifiers></user>',
      json: {
        user_identifier: [
          { segment_type: 'Internal', id_type: { desc: 'Barcode', value: 'BARCODE' }, value: '123' },
          { value: '456' },
        ],
      },
    },
    {
      name: 'an empty wrapper is an empty list',
      type: user,
      xml: '<user><user_identifiers/></user>',
      json: { user_identifier: [] },
    },
    {
      name: 'a repeated element is a list, under its JSON key',
      type: user,
      xml: '<user><user_note>a</user_note><user_note>b</user_note></user>',
      json: { note: ['a', 'b'] },
    },
    {
      name: 'total_record_count is a number where the schema says so',
      type: users,
      xml: '<users total_record_count="2"><user><primary_id>a</primary_id></user><user><primary_id>b</primary_id></user></users>',
      json: { total_record_count: 2, user: [{ primary_id: 'a' }, { primary_id: 'b' }] },
    },
    {
      name: 'numbers and booleans are never guessed',
      type: user,
      xml: '<user><primary_id>000123</primary_id><birth_date>9912345678901234567</birth_date><loans>14</loans><force_password_change>true</force_password_change></user>',
      json: {
        primary_id: '000123',
        birth_date: '9912345678901234567',
        force_password_change: true,
        loans: { value: 14 },
      },
    },
    {
      name: 'a number that would not read back the same stays text',
      type: user,
      xml: '<user><loans>007</loans></user>',
      json: { loans: { value: '007' } },
    },
    {
      name: 'the MARC record becomes anies',
      type: bib,
      xml: '<bib><mms_id>99100</mms_id><record><leader>00783cam a2200241 a 4500</leader><datafield ind1=" " ind2=" " tag="035"><subfield code="a">(x)</subfield></datafield></record></bib>',
      json: {
        mms_id: '99100',
        anies: [
          '<record><leader>00783cam a2200241 a 4500</leader><datafield ind1=" " ind2=" " tag="035"><subfield code="a">(x)</subfield></datafield></record>',
        ],
      },
    },
    {
      name: 'a report is all foreign content',
      type: report,
      xml: '<report><QueryResult><IsFinished>true</IsFinished></QueryResult></report>',
      json: { anies: ['<QueryResult><IsFinished>true</IsFinished></QueryResult>'] },
    },
    {
      name: 'the error namespace is the type’s, not a key',
      type: webServiceResult,
      xml: '<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans"><errorsExist>true</errorsExist><errorList><error><errorCode>401861</errorCode><errorMessage>Not found.</errorMessage></error></errorList></web_service_result>',
      json: { errorsExist: true, errorList: { error: [{ errorCode: '401861', errorMessage: 'Not found.' }] } },
    },
    {
      name: 'unknown elements and attributes are kept',
      type: user,
      xml: '<user future="1"><primary_id>a</primary_id><new_field>x</new_field><new_block><a>1</a><a>2</a></new_block></user>',
      json: { future: '1', primary_id: 'a', new_field: 'x', new_block: { a: ['1', '2'] } },
    },
    {
      name: 'no schema: the generic rules',
      type: undefined,
      xml: '<vendor code="V1"><name>Baker &amp; Taylor</name><status desc="Active">ACTIVE</status><empty/></vendor>',
      json: { code: 'V1', name: 'Baker & Taylor', status: { desc: 'Active', value: 'ACTIVE' }, empty: '' },
    },
    {
      name: 'element names that are Object.prototype members are plain data',
      type: undefined,
      xml: '<x><toString>t</toString><hasOwnProperty>h</hasOwnProperty><valueOf>v</valueOf></x>',
      json: { toString: 't', hasOwnProperty: 'h', valueOf: 'v' },
    },
  ];
  test.each(cases)('$name', ({ type, xml, json }) => {
    const decoded = xmlToJson(xml, type);
    expect(decoded).toEqual(json);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(json);
    expect(canonical(jsonToXml(decoded, type, { rootName: /^<(\w+)/.exec(xml)![1] }))).toEqual(canonical(xml));
  });
});

describe('names that could pollute objects', () => {
  test.each(['__proto__', 'constructor', 'prototype'])(
    'an element named %s is refused, and nothing is polluted',
    (name) => {
      expect(() => xmlToJson(`<x><${name}><polluted>yes</polluted></${name}></x>`)).toThrow(
        /reserved JavaScript keyword/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

describe('JSON → XML', () => {
  test('elements in schema order; unknown keys stay after the element they followed (attributes have no place)', () => {
    const xml = jsonToXml(
      {
        user_identifier: [{ value: '1' }],
        extra_after_ids: 'e',
        primary_id: 'a',
        link: 'L',
        first_extra: 'f',
      } as JsonObject,
      user,
      { declaration: false },
    );
    expect(xml).toBe(
      '<user link="L"><primary_id>a</primary_id><first_extra>f</first_extra><user_identifiers><user_identifier><value>1</value></user_identifier></user_identifiers><extra_after_ids>e</extra_after_ids></user>',
    );
  });

  test('numbers and booleans are written as Alma writes them; null and undefined are left out', () => {
    expect(
      jsonToXml(
        {
          total_record_count: 0,
          user: [{ primary_id: null, force_password_change: false, loans: { value: 3 } }],
        } as JsonObject,
        users,
        { declaration: false },
      ),
    ).toBe(
      '<users total_record_count="0"><user><loans>3</loans><force_password_change>false</force_password_change></user></users>',
    );
  });

  test('anies are inserted as XML, their declaration dropped; malformed ones are refused', () => {
    const json = {
      mms_id: '1',
      anies: ['<?xml version="1.0" encoding="UTF-16"?>\n<record><leader>x</leader></record>'],
    };
    expect(jsonToXml(json, bib, { declaration: false })).toBe(
      '<bib><mms_id>1</mms_id><record><leader>x</leader></record></bib>',
    );
    expect(() => jsonToXml({ anies: ['<record><leader></record>'] }, bib)).toThrow(/anies entry .*is not well-formed/);
  });

  test('the error namespace is written back', () => {
    expect(jsonToXml({ errorsExist: true }, webServiceResult, { declaration: false })).toBe(
      '<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans"><errorsExist>true</errorsExist></web_service_result>',
    );
  });

  test('text and attributes are escaped', () => {
    expect(jsonToXml({ link: 'a"b<c', primary_id: 'x & y < z ]]>' }, user, { declaration: false })).toBe(
      '<user link="a&quot;b&lt;c"><primary_id>x &amp; y &lt; z ]]&gt;</primary_id></user>',
    );
  });

  test('a root name is required without a typed root', () => {
    expect(() => jsonToXml({ a: '1' })).toThrow(/needs the root element name/);
  });
});

describe('MARC survives', () => {
  const record =
    '<record><leader>00783cam a2200241 a 4500</leader><controlfield tag="001">99939650000541</controlfield>' +
    '<datafield ind1=" " ind2=" " tag="035"><subfield code="a">(TrN)22133</subfield></datafield>' +
    '<datafield ind1="1" ind2="0" tag="245"><subfield code="b">second</subfield><subfield code="a">Tom &amp; Jerry &lt;3 &#233;t&#xE9;</subfield><subfield code="c"><![CDATA[x < y && "q"]]></subfield></datafield>' +
    '<datafield ind1=" " ind2="4" tag="650"><subfield code="a">A</subfield></datafield></record>';
  test('field and subfield order, blank indicators, entities and CDATA', () => {
    const xml = `<bib><mms_id>1</mms_id>${record}</bib>`;
    const json = xmlToJson(xml, bib);
    const again = jsonToXml(json, bib);
    expect(canonical(again)).toEqual(canonical(xml));
    // The record is kept as the exact text it came as: character references and CDATA included.
    expect(json.anies).toEqual([record]);
    expect(again).toContain('<datafield ind1=" " ind2=" " tag="035">');
    expect(xmlToJson(again, bib)).toEqual(json);
  });
});

describe('mixed content JSON cannot keep in order is refused, not reordered', () => {
  test.each([
    ['text on both sides of a child', '<note>Jo<b>bold</b>hn</note>', true],
    ['text after a child', '<note><b>bold</b> tail</note>', true],
    ['text before the children only', '<note>John<b>bold</b></note>', false],
    ['indentation around children', '<note>\n  <b>bold</b>\n</note>', false],
  ])('%s', (_name, xml, refused) => {
    if (refused) expect(() => xmlToJson(xml)).toThrowError(/mixes text and elements \(text after <b>\)/);
    else expect(() => xmlToJson(xml)).not.toThrow();
  });
});

describe('a namespaced document keeps its prefixes on the way back', () => {
  test('decoded with a schema and written back, every element has its prefix again', () => {
    const type = {
      root: 'user',
      props: [
        { key: 'primary_id' },
        {
          key: 'user_group',
          type: {
            props: [
              { key: 'value', kind: 'text' as const },
              { key: 'desc', kind: 'attribute' as const },
            ],
          },
        },
      ],
    };
    const xml =
      '<ns:user xmlns:ns="urn:example:users"><ns:primary_id>jdoe</ns:primary_id><ns:user_group desc="Staff">08</ns:user_group></ns:user>';
    const json = xmlToJson(xml, type);
    expect(json).toEqual({
      'xmlns:ns': 'urn:example:users',
      primary_id: 'jdoe',
      user_group: { value: '08', desc: 'Staff' },
    });
    expect(jsonToXml(json, type, { declaration: false })).toBe(xml);
    // JSON from elsewhere (no prefix recorded) is written as Alma writes it.
    expect(jsonToXml({ primary_id: 'jdoe' }, type, { declaration: false })).toBe(
      '<user><primary_id>jdoe</primary_id></user>',
    );
  });
});
