import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { XmlType } from '../../runtime/xml/schema.js';
import type { Config } from '../config.js';
import { buildModel } from '../ir/build.js';
import { rootTypeName } from '../ir/naming.js';
import type { NamedSchema } from '../ir/model.js';
import { SchemaRegistry } from '../ir/registry.js';
import { DocumentStore } from '../load/documents.js';
import { buildXmlTypes } from '../ir/xml.js';

/** The XML mappings of every document type the specs know, for converting records offline (`alma-codegen convert`). */
export interface CodecTypes {
  /** By schema name as Ex Libris writes it: `rest_user`, `rest_location-put`. */
  byName(name: string): { schema: NamedSchema; xml: XmlType } | undefined;
  /** By document element: `user` → the `rest_user` mapping (JSON schema preferred, then XSD). */
  byRoot(element: string): { schema: NamedSchema; xml: XmlType } | undefined;
  names(): string[];
  /** Any schema by id, for following references. */
  schema(id: string): NamedSchema | undefined;
}

const SOURCE_RANK = { 'json-schema': 0, xsd: 1, derived: 2, untyped: 3 } as const;

export function loadCodecTypes(config: Config): CodecTypes {
  const store = new DocumentStore(config.specDir);
  const model = buildModel(config, store);
  // Every XSD present, also those no operation refers to (web_service_result for error bodies).
  const registry = new SchemaRegistry(store);
  const xsdDir = path.join(config.specDir, 'xsd');
  for (const file of existsSync(xsdDir)
    ? readdirSync(xsdDir)
        .filter((f) => f.endsWith('.xsd'))
        .sort()
    : [])
    registry.xsd.rootSchema(file);
  const schemas = { ...registry.all(), ...model.schemas };
  const xml = buildXmlTypes({ ...model, schemas });
  const documents = Object.values(schemas).filter(
    (s) => s.xmlRoot && xml.has(s.id) && new RegExp(`^${rootTypeName(s.file)}\\d*$`).test(s.tsName),
  );
  const nameOf = (s: NamedSchema) => path.basename(s.file).replace(/\.(json|ya?ml|xsd)$/, '');
  const entry = (schema: NamedSchema | undefined) => (schema ? { schema, xml: xml.get(schema.id)! } : undefined);
  return {
    byName: (name) =>
      entry(
        documents
          .filter((s) => nameOf(s) === name.replace(/\.(json|xsd)$/, ''))
          .sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source])[0],
      ),
    byRoot: (element) =>
      entry(
        documents
          .filter((s) => s.xmlRoot === element)
          .sort(
            (a, b) =>
              SOURCE_RANK[a.source] - SOURCE_RANK[b.source] ||
              nameOf(a).length - nameOf(b).length ||
              (nameOf(a) < nameOf(b) ? -1 : 1),
          )[0],
      ),
    names: () => [...new Set(documents.map(nameOf))].sort(),
    schema: (id) => schemas[id],
  };
}
