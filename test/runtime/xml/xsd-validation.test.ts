import { OBSERVATIONS } from '../../../generator/ir/observed.js';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadCodecTypes } from '../../../generator/convert/codec-types.js';
import { loadConfig } from '../../../generator/config.js';
import type { IrType, NamedSchema } from '../../../generator/ir/model.js';
import { jsonToXml, type JsonObject } from '../../../runtime/xml/codec.js';
import { REPO, SHARED_SPECS } from '../../helpers/specs.js';
import { validateAgainstXsd } from '../../helpers/xmllint.js';

/**
 * Every XML body the encoder writes for an XSD-typed schema validates against Ex Libris' XSD (libxml2's xmllint,
 * as WebAssembly from npm: nothing to install). Documents carry every element the schema knows, so that the
 * XSD's required elements are all there.
 */
const config = loadConfig(path.join(REPO, 'alma-codegen.yaml'));
const types = loadCodecTypes(config);
const xsdDocuments = types
  .names()
  .map((name) => types.byName(name)!)
  .filter((d) => d.schema.source === 'xsd');

/** The three XSDs that do not compile (types defined in files that are not published): known, see alma-facts.md. */
const DO_NOT_COMPILE = ['rest_researcher.xsd', 'rest_user_request.xsd', 'rest_user_requests.xsd'];
/**
 * rest_analytics_report_expanded.xsd requires, inside <QueryResult>, a strict wildcard matching a global element,
 * and its only global element is <report> itself: no finite document is valid. (No operation uses it.)
 */
const NO_VALID_DOCUMENT = ['rest_analytics_report_expanded.xsd'];

/**
 * Fields whose XSD enumerates display labels while Alma sends codes (see generator/ir/observed.ts): the types say
 * string, the XSD wants one of its labels.
 */
const XSD_LABELS: Record<string, string> = { loan_status: 'Active' };

/**
 * Fields Alma sends that are newer than the XSDs here (added by `addAfter` observations, which describe them by
 * their note): the XSD does not allow them yet.
 */
const NEWER_THAN_XSD = new Set(OBSERVATIONS.flatMap((o) => ('addAfter' in o.change ? [o.note] : [])));

function fullDocument(type: IrType, seen: string[], schemas: (id: string) => NamedSchema | undefined): unknown {
  switch (type.kind) {
    case 'string':
      if (type.enum?.length) return type.enum[0];
      // An XSD pattern matches the whole value.
      if (type.pattern !== undefined)
        return fc.sample(fc.stringMatching(new RegExp(`^(?:${type.pattern})$`)), { seed: 1, numRuns: 1 })[0];
      if (type.format === 'date') return '2026-11-27Z';
      if (type.format === 'date-time') return '2026-11-27T10:00:00Z';
      if (type.format === 'time') return '10:00:00Z';
      return 'text';
    case 'integer':
      return 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'union':
      return fullDocument(type.types[0]!, seen, schemas);
    case 'array': {
      const item = fullDocument(type.items, seen, schemas);
      return item === undefined ? undefined : [item];
    }
    case 'ref': {
      if (seen.filter((id) => id === type.id).length >= 1 || seen.length > 8) return undefined;
      const schema = schemas(type.id);
      return schema ? fullDocument(schema.type, [...seen, type.id], schemas) : undefined;
    }
    case 'object': {
      const out: JsonObject = {};
      for (const p of type.properties) {
        // Foreign content in another namespace satisfies xs:any (##other and ##any alike).
        if (p.xml.kind === 'any') {
          out[p.name] = ['<x:extra xmlns:x="urn:example:other">1</x:extra>'];
          continue;
        }
        if (NEWER_THAN_XSD.has(p.description)) continue;
        const value = XSD_LABELS[p.name] ?? fullDocument(p.type, seen, schemas);
        if (value !== undefined) out[p.name] = value;
      }
      return out;
    }
    case 'document':
    case 'unknown':
      return undefined;
  }
}

describe('encoder output validates against the XSDs', () => {
  test('the validator rejects what the XSD does not allow', async () => {
    const result = await validateAgainstXsd(
      '<code_table><unknown_element/></code_table>',
      path.join(SHARED_SPECS, 'xsd', 'rest_code_table.xsd'),
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unknown_element/);
  });

  const cases = xsdDocuments.filter(
    (d) => ![...DO_NOT_COMPILE, ...NO_VALID_DOCUMENT].includes(path.basename(d.schema.file)),
  );
  test.each(cases.map((d) => [path.basename(d.schema.file), d] as const))('%s', async (file, { schema, xml }) => {
    const document = fullDocument(schema.type, [schema.id], types.schema) as JsonObject;
    expect(Object.keys(document).length).toBeGreaterThan(0);
    const result = await validateAgainstXsd(jsonToXml(document, xml), path.join(SHARED_SPECS, 'xsd', file));
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
  });

  test('covers the XSD-typed documents', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  test('a bib with its MARC record fails on <record> alone (the known XSD defect: ##other vs no namespace)', async () => {
    const { schema, xml } = types.byName('rest_bib')!;
    const document = {
      ...(fullDocument(schema.type, [schema.id], types.schema) as JsonObject),
      anies: ['<record><leader>00783cam a2200241 a 4500</leader></record>'],
    };
    const result = await validateAgainstXsd(jsonToXml(document, xml), path.join(SHARED_SPECS, 'xsd', 'rest_bib.xsd'));
    expect(result.ok).toBe(false);
    const errors = result.output.split('\n').filter((l) => /error/i.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Element 'record'/);
  });
});
