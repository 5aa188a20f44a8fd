import { CodeValueXml, type XmlProp, type XmlType } from '../../runtime/xml/schema.js';
import type { ApiModel, IrType, NamedSchema, Property } from './model.js';
import { directRefs } from './walk.js';

/**
 * The codec's view of the IR: for each object schema, its XML mapping (`XmlType`). One derivation, two uses: the
 * emitter prints it into the generated package, and the CLI (`convert`) uses it in memory.
 */
export interface PropSpec {
  key: string;
  kind: NonNullable<XmlProp['kind']>;
  name: string;
  wrapper?: string;
  list: boolean;
  scalar?: 'number' | 'boolean';
  /** A named schema's mapping, an inline one, or Alma's code-table value (`CodeValueXml`, shared by hundreds). */
  type?: { ref: string } | { inline: PropSpec[] } | { codeValue: true };
}

/** Whether a named schema has an XML mapping (object types do; untyped documents are handled generically). */
export function hasXmlType(schema: NamedSchema | undefined): boolean {
  return schema !== undefined && schema.type.kind === 'object';
}

export function propSpecs(properties: Property[], model: ApiModel): PropSpec[] {
  return properties.map((p) => {
    const list = p.type.kind === 'array';
    const item = p.type.kind === 'array' ? p.type.items : p.type;
    const spec: PropSpec = { key: p.name, kind: p.xml.kind, name: p.xml.name, list };
    if (p.xml.wrapper !== undefined) spec.wrapper = p.xml.wrapper;
    if (item.kind === 'integer' || item.kind === 'number') spec.scalar = 'number';
    if (item.kind === 'boolean') spec.scalar = 'boolean';
    if (item.kind === 'object') {
      const inline = propSpecs(item.properties, model);
      spec.type = isCodeValueXml(inline) ? { codeValue: true } : { inline };
    }
    if (item.kind === 'ref' && hasXmlType(model.schemas[item.id])) spec.type = { ref: item.id };
    return spec;
  });
}

/**
 * Whether props are written as Alma's code-table value: the code as text, its description as `desc` (in either
 * order: attributes and text have no order in XML).
 */
export function isCodeValueXml(specs: PropSpec[]): boolean {
  // The text's XML name is the schemas' `xml_value` marker, not a name written anywhere.
  const plain = (key: string, kind: PropSpec['kind'], name?: string) =>
    specs.some(
      (s) =>
        s.key === key &&
        s.kind === kind &&
        (name === undefined || s.name === name) &&
        !s.list &&
        !s.scalar &&
        !s.type &&
        !s.wrapper,
    );
  return specs.length === 2 && plain('value', 'text') && plain('desc', 'attribute', 'desc');
}

/** In-memory `XmlType`s for every object schema, by schema id; references between them are lazy. */
export function buildXmlTypes(model: ApiModel): Map<string, XmlType> {
  const types = new Map<string, XmlType>();
  const toProps = (specs: PropSpec[]): XmlProp[] =>
    specs.map((s) => ({
      key: s.key,
      ...(s.kind !== 'element' ? { kind: s.kind } : {}),
      ...(s.name !== s.key && s.kind !== 'text' ? { name: s.name } : {}),
      ...(s.wrapper !== undefined ? { wrapper: s.wrapper } : {}),
      ...(s.list ? { list: true as const } : {}),
      ...(s.scalar ? { scalar: s.scalar } : {}),
      ...(s.type ? { type: xmlTypeOf(s.type) } : {}),
    }));
  const lazy = (id: string) => () => types.get(id)!;
  const xmlTypeOf = (type: NonNullable<PropSpec['type']>): NonNullable<XmlProp['type']> =>
    'ref' in type ? lazy(type.ref) : 'inline' in type ? { props: toProps(type.inline) } : CodeValueXml;
  for (const schema of Object.values(model.schemas)) {
    if (!hasXmlType(schema) || schema.type.kind !== 'object') continue;
    types.set(schema.id, {
      ...(schema.xmlRoot ? { root: schema.xmlRoot } : {}),
      ...(schema.xmlNamespace ? { namespace: schema.xmlNamespace } : {}),
      props: toProps(propSpecs(schema.type.properties, model)),
    });
  }
  return types;
}

/** The XML of a list document by Alma's list convention, for lists without a schema: entries repeated, the count an attribute. */
export function listConventionXml(root: string, itemKey: string): XmlType {
  return {
    root,
    props: [
      { key: itemKey, list: true },
      { key: 'total_record_count', kind: 'attribute', scalar: 'number' },
    ],
  };
}

/** The XML mapping ids an IR type refers to directly (for imports). */
export function xmlRefs(type: IrType, model: ApiModel, into: Set<string>): void {
  for (const id of directRefs(type)) if (hasXmlType(model.schemas[id])) into.add(id);
}
