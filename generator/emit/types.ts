import { isCodeValue } from '../ir/code-value.js';
import type { IrType, NamedSchema, Property } from '../ir/model.js';
import type { RuntimeExport } from '../ir/naming.js';
import { isValidIdentifier } from '../ir/naming.js';
import { docComment } from './docs.js';
import { tsString } from './literals.js';

/**
 * How emitted code names what it refers to: a schema by id, and the runtime's exports, each recorded as it is written
 * so that the module imports exactly what its code uses (see `ModuleNames` in `emit/names.ts`).
 */
export interface Names {
  /** The TypeScript name of a schema. */
  schema(id: string): string;
  /** A runtime type the code mentions. */
  type(name: RuntimeExport): string;
  /** A runtime function the code calls. */
  value(name: RuntimeExport): string;
}

/** The TypeScript type for an IR type; inline objects are written over several lines at `indent`. */
export function tsType(type: IrType, names: Names, indent = ''): string {
  switch (type.kind) {
    case 'string':
      return type.enum?.length ? type.enum.map(tsString).join(' | ') : 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'union':
      return [...new Set(type.types.map((t) => tsType(t, names, indent)))].join(' | ');
    case 'document':
      return names.type('AlmaDocument');
    case 'unknown':
      return 'unknown';
    case 'file':
      return 'Uint8Array';
    case 'ref':
      return names.schema(type.id);
    case 'array': {
      const item = tsType(type.items, names, indent);
      return /^[A-Za-z0-9_]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object':
      return isCodeValue(type) ? names.type('CodeValue') : objectLiteral(type.properties, names, indent);
  }
}

function objectLiteral(properties: Property[], names: Names, indent: string): string {
  if (properties.length === 0) return 'Record<string, never>';
  const inner = `${indent}  `;
  const lines = properties.map(
    (p) =>
      `${docComment(propertyDoc(p), inner)}${inner}${propertyKey(p.name)}${p.required ? '' : '?'}: ${propertyType(p, names, inner)};`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * A property's type. Alma's JSON writes `null` for a field the schema knows but the record has no value for (its XML
 * leaves the element out), so every property that may be missing may also be `null`; `unknown` already admits it.
 */
function propertyType(p: Property, names: Names, indent: string): string {
  const type = tsType(p.type, names, indent);
  return p.required || p.type.kind === 'unknown' ? type : `${type} | null`;
}

export function propertyDoc(p: Property): string {
  const xml =
    p.xml.kind === 'attribute'
      ? 'XML attribute'
      : p.xml.kind === 'text'
        ? 'XML element text'
        : p.xml.wrapper
          ? `XML: <${p.xml.wrapper}><${p.xml.name}>…`
          : '';
  return [p.description, xml ? `(${xml})` : ''].filter(Boolean).join(' ');
}

export function propertyKey(name: string): string {
  return isValidIdentifier(name) || /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : tsString(name);
}

/**
 * A named schema as an `interface` (objects) or a `type` alias, as text: inline object types nest, and ts-morph
 * would give their lines a hanging indent.
 */
export function schemaDeclaration(schema: NamedSchema, names: Names): string {
  const sourceNote =
    schema.source === 'xsd'
      ? `Built from the XSD ${baseName(schema.file)}.`
      : schema.source === 'json-schema'
        ? `From ${baseName(schema.file)}.`
        : '';
  const doc = docComment([schema.description, sourceNote].filter(Boolean).join('\n\n'), '');
  // A schema that is a code-table value is a name for `CodeValue`.
  if (schema.type.kind === 'object' && schema.type.properties.length > 0 && !isCodeValue(schema.type)) {
    return `${doc}export interface ${schema.tsName} ${tsType(schema.type, names, '')}`;
  }
  return `${doc}export type ${schema.tsName} = ${tsType(schema.type, names)};`;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
