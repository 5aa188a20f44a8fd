import { xmlConstName } from './naming.js';
import type { ApiModel, IrType, NamedSchema } from '../ir/model.js';
import { hasXmlType, isCodeValueXml, propSpecs, type PropSpec } from '../ir/xml.js';
import { tsString } from './literals.js';
import type { Names } from './types.js';

// The XML mappings of `ir/xml.ts` as the generated package holds them: a constant per schema, printed.

/** The generated declaration of a schema's XML mapping. */
export function xmlTypeDeclaration(schema: NamedSchema, model: ApiModel, names: Names): string {
  if (schema.type.kind !== 'object') return '';
  const doc = `/** How {@link ${schema.tsName}} is written in XML. */\n`;
  const specs = propSpecs(schema.type.properties, model);
  if (!schema.xmlRoot && isCodeValueXml(specs))
    return `${doc}export const ${xmlConstName(schema)}: ${names.type('XmlType')} = ${names.value('CodeValueXml')};`;
  const root =
    (schema.xmlRoot ? `  root: ${tsString(schema.xmlRoot)},\n` : '') +
    (schema.xmlNamespace ? `  namespace: ${tsString(schema.xmlNamespace)},\n` : '');
  return `${doc}export const ${xmlConstName(schema)}: ${names.type('XmlType')} = {\n${root}  props: ${printProps(specs, model, '  ', names)},\n};`;
}

function printProps(specs: PropSpec[], model: ApiModel, indent: string, names: Names): string {
  if (specs.length === 0) return '[]';
  const inner = `${indent}  `;
  const lines = specs.map((s) => {
    const fields = [`key: ${tsString(s.key)}`];
    if (s.kind !== 'element') fields.push(`kind: '${s.kind}'`);
    if (s.name !== s.key && s.kind !== 'text') fields.push(`name: ${tsString(s.name)}`);
    if (s.wrapper !== undefined) fields.push(`wrapper: ${tsString(s.wrapper)}`);
    if (s.list) fields.push('list: true');
    if (s.scalar) fields.push(`scalar: '${s.scalar}'`);
    if (s.type && 'ref' in s.type) fields.push(`type: () => ${xmlConstName(model.schemas[s.type.ref]!)}`);
    if (s.type && 'inline' in s.type) fields.push(`type: { props: ${printProps(s.type.inline, model, inner, names)} }`);
    if (s.type && 'codeValue' in s.type) fields.push(`type: ${names.value('CodeValueXml')}`);
    return `${inner}{ ${fields.join(', ')} },`;
  });
  return `[\n${lines.join('\n')}\n${indent}]`;
}

/** What a descriptor's `requestXml`/`responseXml` is for a body type: a mapping constant, or a root for untyped documents. */
export function xmlOfBody(type: IrType | undefined, model: ApiModel): string | undefined {
  if (type?.kind !== 'ref') return undefined;
  const schema = model.schemas[type.id];
  if (schema && hasXmlType(schema)) return xmlConstName(schema);
  return schema?.xmlRoot ? `{ root: ${tsString(schema.xmlRoot)}, props: [] }` : undefined;
}
