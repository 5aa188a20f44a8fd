import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SchemaRegistry } from '../../generator/ir/registry.js';
import { DocumentStore } from '../../generator/load/documents.js';
import { SHARED_SPECS } from '../helpers/specs.js';
import { xmlShape } from '../helpers/xml-shape.js';

/**
 * Where Ex Libris publishes both a JSON schema and an XSD (the conf area), the two IRs must describe the same XML:
 * the same element and attribute names, the same list-ness. The JSON schema files are newer than the XSDs here, so
 * they may know more elements; those are listed, and nothing else may differ.
 */
const cases: { name: string; onlyInJsonSchema: string[] }[] = [
  {
    name: 'library',
    onlyInJsonSchema: [
      'id',
      'number_of_locations',
      'number_of_locations/@link',
      'number_of_circ_desks',
      'number_of_circ_desks/@link',
    ].map((p) => `library/${p}`),
  },
  {
    name: 'libraries',
    onlyInJsonSchema: [
      'id',
      'number_of_locations',
      'number_of_locations/@link',
      'number_of_circ_desks',
      'number_of_circ_desks/@link',
    ].map((p) => `libraries/library/${p}`),
  },
  {
    name: 'location',
    onlyInJsonSchema: [
      'id',
      ...[
        '',
        '/@link',
        '/circ_desk_code',
        '/circ_desk_name',
        '/circulation_desk_link',
        '/check_in',
        '/check_out',
        '/reshelve',
      ].map((p) => `circulationDesksList/circ_desk${p}`),
    ].map((p) => `location/${p}`),
  },
  {
    name: 'locations',
    onlyInJsonSchema: [
      'id',
      ...[
        '',
        '/@link',
        '/circ_desk_code',
        '/circ_desk_name',
        '/circulation_desk_link',
        '/check_in',
        '/check_out',
        '/reshelve',
      ].map((p) => `circulationDesksList/circ_desk${p}`),
    ].map((p) => `locations/location/${p}`),
  },
  { name: 'code_table', onlyInJsonSchema: ['code_table/@link'] },
  {
    name: 'general',
    onlyInJsonSchema: [
      '',
      '/acl',
      '/policy',
      '/x-amz-algorithm',
      '/x-amz-credential',
      '/x-amz-signature',
      '/success_action_status',
      '/x-amz-date',
      '/key',
    ].map((p) => `general/digital/ingest_form${p}`),
  },
];

describe('JSON schema IR and XSD IR agree', () => {
  test.each(cases)('rest_$name', ({ name, onlyInJsonSchema }) => {
    const registry = new SchemaRegistry(new DocumentStore(SHARED_SPECS));
    const jsonId = registry.json.namedFromRoot(
      { file: path.join(SHARED_SPECS, 'schemas', `rest_${name}.json`), pointer: `/rest_${name}` },
      { file: 'test', at: '' },
    );
    const xsdId = registry.xsd.rootSchema(`rest_${name}.xsd`);
    const schemas = registry.all();
    expect(schemas[jsonId]!.source).toBe('json-schema');
    expect(schemas[xsdId!]!.source).toBe('xsd');
    expect(schemas[jsonId]!.xmlRoot).toBe(schemas[xsdId!]!.xmlRoot);
    const fromJson = xmlShape(schemas[jsonId]!, schemas);
    const fromXsd = xmlShape(schemas[xsdId!]!, schemas);
    expect(fromXsd.size).toBeGreaterThan(5);
    for (const [p, entry] of fromXsd) expect(fromJson.get(p), p).toEqual(entry);
    expect([...fromJson.keys()].filter((p) => !fromXsd.has(p))).toEqual(onlyInJsonSchema);
  });
});
