import { existsSync } from 'node:fs';
import path from 'node:path';
import { GeneratorError } from '../../errors.js';
import { rootTypeName } from '../naming.js';
import type { IrType, Property } from '../model.js';
import { nestedTypeName, pascal } from '../naming.js';
import type { SchemaRegistry } from '../registry.js';
import type { DocumentStore } from '../../load/documents.js';
import { child, documentation, type XsdNode } from '../../load/xsd-parse.js';

interface Declared {
  file: string;
  node: XsdNode;
}

/** One XSD with everything it includes: the scope in which type names resolve. */
interface Unit {
  rootFile: string;
  complexTypes: Map<string, Declared>;
  simpleTypes: Map<string, Declared>;
  elements: Map<string, Declared>;
}

const BUILTINS: Record<string, IrType> = {
  string: { kind: 'string' },
  normalizedString: { kind: 'string' },
  token: { kind: 'string' },
  anyURI: { kind: 'string' },
  date: { kind: 'string', format: 'date' },
  dateTime: { kind: 'string', format: 'date-time' },
  time: { kind: 'string', format: 'time' },
  int: { kind: 'integer', format: 'int32' },
  integer: { kind: 'integer' },
  short: { kind: 'integer' },
  long: { kind: 'integer', format: 'int64' },
  boolean: { kind: 'boolean' },
  decimal: { kind: 'number' },
  float: { kind: 'number', format: 'float' },
  double: { kind: 'number', format: 'double' },
  anyType: { kind: 'unknown' },
};

/**
 * Builds IR types from Ex Libris' XSDs, deriving the JSON shape by Alma's rules: attributes become keys, simple
 * content becomes `value`, wrapper elements (one repeated child, nothing else) are dropped in favour of the
 * repeated child's name, `xs:any` becomes `anies`. A type the XSD uses but does not define is reported and typed
 * `unknown` for that element only.
 */
export class XsdTransform {
  private readonly units = new Map<string, Unit>();
  /** Parsed files: an included XSD (rest_user.xsd in rest_users.xsd) is read once, not once per unit. */
  private readonly parsed = new Map<string, XsdNode>();

  constructor(
    readonly xsdDir: string,
    private readonly registry: SchemaRegistry,
    private readonly store: DocumentStore,
  ) {}

  /** The named schema for the document root of `fileName` (e.g. `rest_user.xsd` → `User`), if the XSD exists. */
  rootSchema(fileName: string): string | undefined {
    const file = path.join(this.xsdDir, fileName);
    if (!existsSync(file)) return undefined;
    const unit = this.unit(file);
    const root = [...unit.elements.values()].find((e) => e.file === file);
    if (!root) return undefined;
    const typeName = root.node.attrs.type;
    const declared = typeName ? unit.complexTypes.get(typeName) : undefined;
    if (typeName && declared) return this.namedType(unit, typeName, declared);
    const id = `${fileName}#element:${root.node.attrs.name}`;
    return this.registry.define(id, rootTypeName(file), () => ({
      source: 'xsd',
      file,
      description: documentation(root.node),
      xmlRoot: root.node.attrs.name ?? '',
      ...this.namespaceOf(file),
      type: this.elementType(unit, root.node, file, `element[@name='${root.node.attrs.name}']`).type,
    }));
  }

  /** Compiles (once) the XSD and its includes, in include order. */
  private unit(rootFile: string): Unit {
    const cached = this.units.get(rootFile);
    if (cached) return cached;
    const unit: Unit = { rootFile, complexTypes: new Map(), simpleTypes: new Map(), elements: new Map() };
    const visited = new Set<string>();
    const visit = (file: string, from?: string) => {
      if (visited.has(file)) return;
      visited.add(file);
      if (!existsSync(file)) {
        this.registry.warn(
          from ?? file,
          `xs:include schemaLocation="${path.basename(file)}"`,
          `included XSD ${path.basename(file)} is missing; its types are typed unknown`,
          'xsd',
          false,
        );
        return;
      }
      for (const node of this.parse(file).children) {
        const name = node.attrs.name;
        if (node.name === 'include' && node.attrs.schemaLocation)
          visit(path.resolve(path.dirname(file), node.attrs.schemaLocation), file);
        else if (node.name === 'complexType' && name) unit.complexTypes.set(name, { file, node });
        else if (node.name === 'simpleType' && name) unit.simpleTypes.set(name, { file, node });
        else if (node.name === 'element' && name) unit.elements.set(name, { file, node });
      }
    };
    visit(rootFile);
    this.units.set(rootFile, unit);
    return unit;
  }

  private namespaceOf(file: string): { xmlNamespace?: string } {
    const namespace = this.parse(file).attrs.targetNamespace;
    return namespace ? { xmlNamespace: namespace } : {};
  }

  private parse(file: string): XsdNode {
    const cached = this.parsed.get(file);
    if (cached) return cached;
    try {
      const schema = this.store.readXsd(file);
      this.parsed.set(file, schema);
      return schema;
    } catch (error) {
      throw new GeneratorError(
        file,
        '',
        `malformed XSD: ${(error as Error).message}`,
        'replace the file with an intact copy from Ex Libris (`alma-codegen sync`)',
      );
    }
  }

  private namedType(unit: Unit, typeName: string, declared: Declared): string {
    const id = `${path.basename(declared.file)}#${typeName}`;
    const rootElement = [...unit.elements.values()].find(
      (e) => e.file === declared.file && e.node.attrs.type === typeName,
    );
    const fileName = rootTypeName(declared.file);
    const own = pascal(typeName);
    const tsName = rootElement ? fileName : nestedTypeName(fileName, own, (name) => this.registry.isRootName(name));
    return this.registry.define(id, tsName, () => ({
      source: 'xsd',
      file: declared.file,
      description: documentation(declared.node),
      ...(rootElement ? { xmlRoot: rootElement.node.attrs.name ?? typeName, ...this.namespaceOf(declared.file) } : {}),
      type: this.complexType(unit, declared.node, declared.file, `complexType[@name='${typeName}']`),
    }));
  }

  private complexType(unit: Unit, node: XsdNode, file: string, at: string): IrType {
    const properties: Property[] = [];
    for (const part of node.children) {
      switch (part.name) {
        case 'attribute':
          properties.push(this.attribute(unit, part, file, at));
          break;
        case 'sequence':
        case 'all':
        case 'choice':
          properties.push(...this.particles(unit, part, file, at, false, false));
          break;
        case 'any':
          properties.push(anies(part));
          break;
        case 'simpleContent': {
          const extension = child(part, 'extension') ?? child(part, 'restriction');
          properties.push({
            name: 'value',
            required: false,
            description: '',
            type: this.textType(unit, extension?.attrs.base ?? 'xs:string', file, at),
            xml: { kind: 'text', name: 'xml_value' },
          });
          for (const attr of extension?.children.filter((c) => c.name === 'attribute') ?? [])
            properties.push(this.attribute(unit, attr, file, at));
          break;
        }
        case 'complexContent':
          this.registry.warn(file, at, 'xs:complexContent is not supported; the type is an untyped document');
          return { kind: 'document' };
        default:
          break;
      }
    }
    return { kind: 'object', properties };
  }

  private particles(
    unit: Unit,
    group: XsdNode,
    file: string,
    at: string,
    repeatedOuter: boolean,
    optionalOuter: boolean,
  ): Property[] {
    const repeated = repeatedOuter || isRepeated(group);
    const optional = optionalOuter || group.name === 'choice' || group.attrs.minOccurs === '0';
    const properties: Property[] = [];
    for (const part of group.children) {
      if (part.name === 'element') properties.push(this.element(unit, part, file, at, repeated, optional));
      else if (part.name === 'sequence' || part.name === 'choice' || part.name === 'all')
        properties.push(...this.particles(unit, part, file, at, repeated, optional));
      else if (part.name === 'any') properties.push(anies(part));
    }
    return properties;
  }

  private element(
    unit: Unit,
    node: XsdNode,
    file: string,
    at: string,
    repeatedByGroup: boolean,
    optionalByGroup: boolean,
  ): Property {
    const name = node.attrs.name ?? node.attrs.ref ?? '';
    const here = `${at}/element[@name='${name}']`;
    const repeated = repeatedByGroup || isRepeated(node);
    const required =
      !repeated && !optionalByGroup && node.attrs.minOccurs !== undefined && Number(node.attrs.minOccurs) >= 1;
    const description = documentation(node);
    const { type, wrappedItem } = this.elementType(unit, node, file, here);
    if (wrappedItem) {
      return {
        name: wrappedItem.name,
        required: false,
        description,
        type: { kind: 'array', items: wrappedItem.type },
        xml: { kind: 'element', name: wrappedItem.name, wrapper: name },
      };
    }
    return {
      name,
      required,
      description,
      type: repeated ? { kind: 'array', items: type } : type,
      xml: { kind: 'element', name },
    };
  }

  /** The type of an element; for a wrapper element, the repeated child it wraps. */
  private elementType(
    unit: Unit,
    node: XsdNode,
    file: string,
    at: string,
  ): { type: IrType; wrappedItem?: { name: string; type: IrType } } {
    const inlineComplex = child(node, 'complexType');
    if (inlineComplex) {
      const wrapped = this.wrappedChild(unit, inlineComplex, file, at);
      return wrapped
        ? { type: { kind: 'unknown' }, wrappedItem: wrapped }
        : { type: this.complexType(unit, inlineComplex, file, at) };
    }
    const inlineSimple = child(node, 'simpleType');
    if (inlineSimple) return { type: this.simpleTypeNode(unit, inlineSimple, file, at) };
    const typeName = node.attrs.type ?? 'xs:anyType';
    const declared = unit.complexTypes.get(typeName);
    if (declared) {
      const wrapped = this.wrappedChild(unit, declared.node, declared.file, `complexType[@name='${typeName}']`);
      return wrapped
        ? { type: { kind: 'unknown' }, wrappedItem: wrapped }
        : { type: { kind: 'ref', id: this.namedType(unit, typeName, declared) } };
    }
    return { type: this.simpleType(unit, typeName, file, at) };
  }

  /**
   * A wrapper: no attributes, no text, exactly one child element and it repeats. Only Alma's REST object XSDs
   * (no target namespace) drop wrappers in JSON; `web_service_result` keeps `errorList: { error: [...] }`.
   */
  private wrappedChild(
    unit: Unit,
    complex: XsdNode,
    file: string,
    at: string,
  ): { name: string; type: IrType } | undefined {
    if (this.parse(file).attrs.targetNamespace) return undefined;
    if (
      complex.children.some(
        (c) => c.name === 'attribute' || c.name === 'simpleContent' || c.name === 'complexContent' || c.name === 'any',
      )
    )
      return undefined;
    const groups = complex.children.filter((c) => c.name === 'sequence' || c.name === 'choice' || c.name === 'all');
    if (groups.length !== 1) return undefined;
    const group = groups[0]!;
    const members = group.children.filter((c) => c.name !== 'annotation');
    if (members.length !== 1 || members[0]!.name !== 'element') return undefined;
    const only = members[0]!;
    if (!isRepeated(only) && !isRepeated(group)) return undefined;
    const name = only.attrs.name ?? '';
    return { name, type: this.elementType(unit, only, file, `${at}/element[@name='${name}']`).type };
  }

  /**
   * The text of an element with attributes, when the XSD's base is numeric, comes both ways in Alma's JSON: a string
   * (`"loans": { "value": "14" }` in real user records; Alma's own JSON schemas type every `value` as a string) and a
   * number (`"number_of_locations": { "value": 6, "link": "…" }` on libraries, `portfolios` on an electronic
   * collection). So its type is either; XML decodes it as the string it is. Enumerations and patterns of a string base
   * are kept.
   */
  private textType(unit: Unit, base: string, file: string, at: string): IrType {
    const type = this.simpleType(unit, base, file, at);
    if (type.kind === 'integer') return { kind: 'union', types: [{ kind: 'string', pattern: '-?[0-9]+' }, type] };
    if (type.kind === 'number')
      return { kind: 'union', types: [{ kind: 'string', pattern: '-?[0-9]+(\\.[0-9]+)?' }, type] };
    return type.kind === 'boolean' ? { kind: 'string', enum: ['true', 'false'] } : type;
  }

  private attribute(unit: Unit, node: XsdNode, file: string, at: string): Property {
    const name = node.attrs.name ?? '';
    const inline = child(node, 'simpleType');
    const type = inline
      ? this.simpleTypeNode(unit, inline, file, at)
      : this.simpleType(unit, node.attrs.type ?? 'xs:string', file, `${at}/attribute[@name='${name}']`);
    return {
      name,
      required: node.attrs.use === 'required',
      description: documentation(node),
      type,
      xml: { kind: 'attribute', name },
    };
  }

  private simpleType(unit: Unit, typeName: string, file: string, at: string): IrType {
    const local = typeName.replace(/^xs:|^xsd:/, '');
    if (typeName !== local && BUILTINS[local]) return BUILTINS[local];
    const declared = unit.simpleTypes.get(typeName);
    if (declared) return this.simpleTypeNode(unit, declared.node, declared.file, `simpleType[@name='${typeName}']`);
    if (unit.complexTypes.has(typeName)) {
      this.registry.warn(file, at, `complex type ${typeName} used where a simple type is expected; typed unknown`);
      return { kind: 'unknown' };
    }
    this.registry.warn(
      file,
      at,
      `type "${typeName}" is not defined in ${path.basename(unit.rootFile)} or the files it includes; this element is typed unknown`,
    );
    return { kind: 'unknown' };
  }

  private simpleTypeNode(unit: Unit, node: XsdNode, file: string, at: string): IrType {
    const restriction = child(node, 'restriction');
    if (!restriction) return { kind: 'string' };
    const base = this.simpleType(unit, restriction.attrs.base ?? 'xs:string', file, at);
    const values = restriction.children.filter((c) => c.name === 'enumeration').map((c) => c.attrs.value ?? '');
    if (base.kind !== 'string') return base;
    const pattern = child(restriction, 'pattern')?.attrs.value;
    return { ...base, ...(values.length > 0 ? { enum: values } : {}), ...(pattern !== undefined ? { pattern } : {}) };
  }
}

function isRepeated(node: XsdNode): boolean {
  const max = node.attrs.maxOccurs;
  return max === 'unbounded' || (max !== undefined && Number(max) > 1);
}

function anies(node: XsdNode): Property {
  return {
    name: 'anies',
    required: false,
    description:
      documentation(node) || 'Embedded XML documents (for bibs and holdings, the MARC record), each as an XML string.',
    type: { kind: 'array', items: { kind: 'string' } },
    xml: { kind: 'any', name: 'anies' },
  };
}
