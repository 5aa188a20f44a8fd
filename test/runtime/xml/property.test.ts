import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadCodecTypes } from '../../../generator/convert/codec-types.js';
import { loadConfig } from '../../../generator/config.js';
import { jsonToXml, xmlToJson, type JsonObject } from '../../../runtime/xml/codec.js';
import { childElements, parseXml, serializeXml, type XmlElement } from '../../../runtime/internal/xml/tree.js';
import { documentOf, xmlText } from '../../helpers/arbitrary.js';
import { REPO } from '../../helpers/specs.js';
import { canonical } from '../../helpers/xml.js';

const types = loadCodecTypes(loadConfig(path.join(REPO, 'alma-codegen.yaml')));
const documents = types.names().map((name) => [name, types.byName(name)!] as const);

/**
 * Inserts elements the schema does not know between the fields of elements that have element children (also
 * inside list wrappers), never between two items of one repeated element: JSON has no place between list items.
 */
function insertUnknown(
  xml: string,
  picks: { at: number; position: number; text: string; attribute: boolean }[],
): string {
  const root = parseXml(xml);
  const containers: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (childElements(e).length > 0 || e === root) containers.push(e);
    childElements(e).forEach(walk);
  };
  walk(root);
  picks.forEach((pick, i) => {
    const target = containers[pick.at % containers.length]!;
    const name = (c: XmlElement['children'][number] | undefined) => (c && 'name' in c ? c.name : undefined);
    const slots = Array.from({ length: target.children.length + 1 }, (_, k) => k).filter(
      (k) => k === 0 || k === target.children.length || name(target.children[k - 1]) !== name(target.children[k]),
    );
    const unknown: XmlElement = {
      name: `x_unknown_${i}`,
      attributes: pick.attribute ? [['x_attr', pick.text]] : [],
      children: pick.text === '' ? [] : [{ text: pick.text }],
    };
    target.children.splice(slots[pick.position % slots.length]!, 0, unknown);
  });
  return serializeXml(root);
}

describe.each(documents)('%s', (_, { schema, xml: type }) => {
  test(`JSON → XML → JSON gives an equal object (${schema.source})`, () => {
    fc.assert(
      fc.property(documentOf(type, { unknown: true }), (doc) => {
        const json = JSON.parse(JSON.stringify(doc)) as JsonObject;
        expect(xmlToJson(jsonToXml(json, type), type)).toEqual(json);
      }),
      { numRuns: 40 },
    );
  });

  test(`XML → JSON → XML gives canonically equal XML, unknown elements included (${schema.source})`, () => {
    const pick = fc.record({ at: fc.nat(), position: fc.nat(), text: xmlText(), attribute: fc.boolean() });
    fc.assert(
      fc.property(documentOf(type), fc.array(pick, { maxLength: 4 }), (doc, picks) => {
        const xml = insertUnknown(jsonToXml(doc, type), picks);
        expect(canonical(jsonToXml(xmlToJson(xml, type), type))).toEqual(canonical(xml));
      }),
      { numRuns: 40 },
    );
  });
});

test('every typed document schema is covered, from every source', () => {
  expect(documents.length).toBeGreaterThan(50);
  expect(new Set(documents.map(([, d]) => d.schema.source))).toEqual(new Set(['json-schema', 'xsd', 'derived']));
});
