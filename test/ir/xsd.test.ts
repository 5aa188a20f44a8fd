import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { IrType, Property } from '../../generator/ir/model.js';
import { SchemaRegistry } from '../../generator/ir/registry.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { SHARED_SPECS, writeTree } from '../helpers/specs.js';

const XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"';

function compile(specDir: string, file: string) {
  const registry = new SchemaRegistry(new DocumentStore(specDir));
  const id = registry.xsd.rootSchema(file);
  if (!id) throw new Error(`no root schema in ${file}`);
  return {
    registry,
    schema: registry.get(id)!,
    byName: (name: string) => Object.values(registry.all()).find((s) => s.tsName === name)!,
  };
}

function compileText(xsd: string, extra: Record<string, string> = {}) {
  const dir = writeTree({ 'xsd/rest_thing.xsd': `<xs:schema ${XS}>${xsd}</xs:schema>`, ...extra });
  return compile(dir, 'rest_thing.xsd');
}

function prop(type: IrType, name: string): Property {
  if (type.kind !== 'object') throw new Error(`expected an object, got ${type.kind}`);
  const found = type.properties.find((p) => p.name === name);
  if (!found) throw new Error(`no property ${name} in ${type.properties.map((p) => p.name).join(', ')}`);
  return found;
}

describe('XSD → IR', () => {
  const cases: { name: string; xsd: string; property: string; want: Partial<Property> }[] = [
    {
      name: 'simple element, explicit minOccurs=1 is required',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:all><xs:element name="code" type="xs:string" minOccurs="1"/></xs:all></xs:complexType>',
      property: 'code',
      want: { required: true, type: { kind: 'string' }, xml: { kind: 'element', name: 'code' } },
    },
    {
      name: 'xs:int and xs:boolean are typed, xs:date keeps its format',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:sequence><xs:element name="n" type="xs:int" minOccurs="0"/><xs:element name="d" type="xs:date" minOccurs="0"/></xs:sequence></xs:complexType>',
      property: 'd',
      want: { required: false, type: { kind: 'string', format: 'date' } },
    },
    {
      name: 'simple content with an attribute becomes {value, desc}',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:all><xs:element name="status" minOccurs="0"><xs:complexType><xs:simpleContent><xs:extension base="xs:string"><xs:attribute name="desc" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element></xs:all></xs:complexType>',
      property: 'status',
      want: {
        type: {
          kind: 'object',
          properties: [
            {
              name: 'value',
              required: false,
              description: '',
              type: { kind: 'string' },
              xml: { kind: 'text', name: 'xml_value' },
            },
            {
              name: 'desc',
              required: false,
              description: '',
              type: { kind: 'string' },
              xml: { kind: 'attribute', name: 'desc' },
            },
          ],
        },
      },
    },
    {
      name: 'a wrapper element is dropped for its repeated child',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:sequence><xs:element name="notes" type="notes" minOccurs="0"/></xs:sequence></xs:complexType><xs:complexType name="notes"><xs:sequence><xs:element name="note" type="xs:string" maxOccurs="unbounded"/></xs:sequence></xs:complexType>',
      property: 'note',
      want: {
        required: false,
        type: { kind: 'array', items: { kind: 'string' } },
        xml: { kind: 'element', name: 'note', wrapper: 'notes' },
      },
    },
    {
      name: 'an unbounded choice makes its element a list',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:all><xs:element name="types" minOccurs="0"><xs:complexType><xs:choice maxOccurs="unbounded"><xs:element name="type"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="a"/><xs:enumeration value="b"/></xs:restriction></xs:simpleType></xs:element></xs:choice></xs:complexType></xs:element></xs:all></xs:complexType>',
      property: 'type',
      want: {
        type: { kind: 'array', items: { kind: 'string', enum: ['a', 'b'] } },
        xml: { kind: 'element', name: 'type', wrapper: 'types' },
      },
    },
    {
      name: 'xs:any becomes anies',
      xsd: '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" namespace="##other" processContents="lax"/></xs:sequence></xs:complexType>',
      property: 'anies',
      want: { type: { kind: 'array', items: { kind: 'string' } }, xml: { kind: 'any', name: 'anies' } },
    },
    {
      name: 'an attribute with use=required',
      xsd: '<xs:element name="things" type="things"/><xs:complexType name="things"><xs:sequence><xs:element name="x" type="xs:string" maxOccurs="unbounded"/></xs:sequence><xs:attribute name="total_record_count" type="xs:long" use="required"/></xs:complexType>',
      property: 'total_record_count',
      want: {
        required: true,
        type: { kind: 'integer', format: 'int64' },
        xml: { kind: 'attribute', name: 'total_record_count' },
      },
    },
  ];
  test.each(cases)('$name', ({ xsd, property, want }) => {
    const { schema } = compileText(xsd);
    expect(prop(schema.type, property)).toMatchObject(want);
  });

  test('a type that is not defined is reported and typed unknown for that element only', () => {
    const { schema, registry } = compileText(
      '<xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:all><xs:element name="a" type="string255Length"/><xs:element name="b" type="xs:string"/></xs:all></xs:complexType>',
    );
    expect(prop(schema.type, 'a').type).toEqual({ kind: 'unknown' });
    expect(prop(schema.type, 'b').type).toEqual({ kind: 'string' });
    expect(registry.diagnostics).toEqual([
      expect.objectContaining({ kind: 'xsd', message: expect.stringContaining('"string255Length" is not defined') }),
    ]);
  });

  test('types from included files resolve', () => {
    const { schema } = compileText(
      '<xs:include schemaLocation="rest_part.xsd"/><xs:element name="thing" type="thing"/><xs:complexType name="thing"><xs:all><xs:element name="part" type="part"/></xs:all></xs:complexType>',
      {
        'xsd/rest_part.xsd': `<xs:schema ${XS}><xs:element name="part" type="part"/><xs:complexType name="part"><xs:all><xs:element name="n" type="xs:int"/></xs:all></xs:complexType></xs:schema>`,
      },
    );
    expect(prop(schema.type, 'part').type).toEqual({ kind: 'ref', id: 'rest_part.xsd#part' });
  });

  test('malformed XSD names the file', () => {
    const dir = writeTree({ 'xsd/rest_thing.xsd': `<xs:schema ${XS}><xs:element name="thing"></xs:schema>` });
    const registry = new SchemaRegistry(new DocumentStore(dir));
    expect(() => registry.xsd.rootSchema('rest_thing.xsd')).toThrow(/rest_thing\.xsd: malformed XSD/);
  });

  test('a truncated XSD says where it ends and what is left open, not line 1', () => {
    const dir = writeTree({
      'xsd/rest_thing.xsd': `<xs:schema ${XS}>\n  <xs:element name="thing">\n    <xs:complexType>\n`,
    });
    const registry = new SchemaRegistry(new DocumentStore(dir));
    expect(() => registry.xsd.rootSchema('rest_thing.xsd')).toThrow(
      /malformed XSD: the file ends before <xs:schema>, <xs:element>, <xs:complexType> are closed: truncated\? \(line 4, column 1\)/,
    );
  });

  test('the real rest_user.xsd: the JSON shape Alma returns', () => {
    const { schema, byName } = compile(SHARED_SPECS, 'rest_user.xsd');
    expect(schema).toMatchObject({
      tsName: 'User',
      source: 'xsd',
      xmlRoot: 'user',
      file: path.join(SHARED_SPECS, 'xsd', 'rest_user.xsd'),
    });
    expect(prop(schema.type, 'user_identifier')).toMatchObject({
      xml: { kind: 'element', name: 'user_identifier', wrapper: 'user_identifiers' },
      type: { kind: 'array', items: { kind: 'ref' } },
    });
    expect(prop(schema.type, 'record_type').type).toMatchObject({
      kind: 'object',
      properties: [
        { name: 'value', xml: { kind: 'text' } },
        { name: 'desc', xml: { kind: 'attribute' } },
      ],
    });
    expect(prop(schema.type, 'contact_info').type).toEqual({ kind: 'ref', id: 'rest_user.xsd#contact_info' });
    expect(prop(byName('UserContactInfo').type, 'address').xml).toEqual({
      kind: 'element',
      name: 'address',
      wrapper: 'addresses',
    });
  });

  test('the real rest_bib.xsd carries the MARC record as anies', () => {
    const { schema } = compile(SHARED_SPECS, 'rest_bib.xsd');
    expect(prop(schema.type, 'anies').xml).toEqual({ kind: 'any', name: 'anies' });
    expect(prop(schema.type, 'network_number').xml).toEqual({
      kind: 'element',
      name: 'network_number',
      wrapper: 'network_numbers',
    });
  });
});
