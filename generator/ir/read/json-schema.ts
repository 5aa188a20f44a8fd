import path from 'node:path';
import { GeneratorError, joinPointer } from '../../errors.js';
import type { DocumentStore, RefTarget } from '../../load/documents.js';
import type { IrType, Property, XmlFacts } from '../model.js';
import { nestedTypeName, pascal, rootTypeName, singular } from '../naming.js';
import type { SchemaRegistry } from '../registry.js';

/** Keywords the transform understands; anything else is reported, never silently dropped. */
const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'items',
  'required',
  'description',
  'example',
  'format',
  'enum',
  'xml',
  '$ref',
  'title',
  'default',
  'readOnly',
  'writeOnly',
  'nullable',
]);
const UNSUPPORTED_HINT =
  'alma-codegen understands type, properties, items, required, enum, format, xml and $ref; rewrite the schema with those, or report the construct so that we add it';

interface Node {
  [key: string]: unknown;
}

interface Where {
  file: string;
  at: string;
}

/**
 * Turns JSON schema files into IR types. Top-level object definitions become named schemas (so cycles are
 * references), list definitions are inlined where used, and every property carries its XML facts.
 */
export class JsonSchemaTransform {
  constructor(
    private readonly store: DocumentStore,
    private readonly registry: SchemaRegistry,
  ) {}

  /**
   * The named schema for a file's alias entry (`rest_user.json#/rest_user`), following the alias to its
   * definition. Returns the schema id.
   */
  namedFromRoot(target: RefTarget, from: Where): string {
    const { defPointer, rootDef } = this.followAlias(target, from);
    return this.named({ file: target.file, pointer: defPointer }, from, rootDef, rootTypeName(target.file));
  }

  /**
   * An inline schema inside an area spec (request and response bodies; `tasklists.yaml` has all its schemas
   * inline). An object gets a name of its own, from what it says about itself (`xml.name`, then `title`), else
   * from the operation's `entity`: never from its place in the spec.
   */
  inline(node: unknown, where: Where, entity: string): IrType {
    const scope: Scope = { rootDef: '', rootName: '', entity };
    if (isObjectSchema(node as Node))
      return { kind: 'ref', id: this.namedInline(where.file, where.at, node as Node, scope, [entity]) };
    return this.convert(node as Node, where, scope);
  }

  /**
   * A named schema for an object inline in an area spec, at its own pointer (so that every `$ref` to it and the
   * place it is written share one type). Names, first free: its `xml.name`, its `title`, then `fallbacks`.
   */
  private namedInline(file: string, pointer: string, node: Node, scope: Scope, fallbacks: string[]): string {
    const id = `${path.basename(file)}#${pointer}`;
    const own = ownNames(node).map(pascal);
    const names = [...own, ...fallbacks].filter(Boolean);
    return this.registry.define(id, names, () => {
      const xml = node.xml as { name?: string } | undefined;
      return {
        source: 'json-schema',
        file,
        description: stringOr(node.description),
        ...(xml?.name ? { xmlRoot: xml.name } : {}),
        type: {
          kind: 'object',
          properties: this.properties(node, { file, at: pointer }, { ...scope, parent: names[0] ?? scope.entity }),
        },
      };
    });
  }

  private followAlias(target: RefTarget, from: Where): { defPointer: string; rootDef: string } {
    const node = this.store.get(target, from) as Node;
    const ref = typeof node?.$ref === 'string' ? node.$ref : undefined;
    if (ref?.startsWith('#/')) return { defPointer: ref.slice(1), rootDef: ref.slice(2) };
    return { defPointer: target.pointer, rootDef: target.pointer.replace(/^\//, '') };
  }

  private named(target: RefTarget, from: Where, rootDef: string, rootName: string): string {
    const id = `${path.basename(target.file)}#${target.pointer}`;
    const def = target.pointer.replace(/^\//, '');
    const tsName =
      def === rootDef
        ? rootName
        : nestedTypeName(rootName, pascal(def.split('/').at(-1) ?? def), (name) => this.registry.isRootName(name));
    return this.registry.define(id, tsName, () => {
      const node = this.store.get(target, from) as Node;
      const where = { file: target.file, at: target.pointer };
      const xml = node.xml as { name?: string } | undefined;
      return {
        source: 'json-schema',
        file: target.file,
        description: stringOr(node.description),
        ...(xml?.name ? { xmlRoot: xml.name } : {}),
        type: this.convert(node, where, { rootDef, rootName }),
      };
    });
  }

  private convert(node: Node, where: Where, scope: Scope, listDepth = 0): IrType {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new GeneratorError(where.file, where.at, 'expected a schema object', UNSUPPORTED_HINT);
    }
    for (const key of Object.keys(node)) {
      if (!KNOWN_KEYWORDS.has(key)) {
        throw new GeneratorError(
          where.file,
          joinPointer(where.at, key),
          `unsupported schema construct "${key}"`,
          UNSUPPORTED_HINT,
        );
      }
    }
    if (typeof node.$ref === 'string') return this.convertRef(node.$ref, where, scope, listDepth);
    switch (node.type) {
      case 'string':
        return {
          kind: 'string',
          ...(typeof node.format === 'string' ? { format: node.format } : {}),
          ...(Array.isArray(node.enum) ? { enum: node.enum.map(String) } : {}),
          ...(typeof node.pattern === 'string' ? { pattern: node.pattern } : {}),
        };
      case 'integer':
        return { kind: 'integer', ...(typeof node.format === 'string' ? { format: node.format } : {}) };
      case 'number':
        return { kind: 'number', ...(typeof node.format === 'string' ? { format: node.format } : {}) };
      case 'boolean':
        return { kind: 'boolean' };
      case 'array':
        if (listDepth > 8)
          throw new GeneratorError(
            where.file,
            where.at,
            'list definitions nest too deeply (a list of itself?)',
            UNSUPPORTED_HINT,
          );
        return {
          kind: 'array',
          items: this.convert(
            node.items as Node,
            { file: where.file, at: joinPointer(where.at, 'items') },
            scope,
            listDepth + 1,
          ),
        };
      case 'object':
      case undefined:
        if (node.properties === undefined) return { kind: 'document' };
        // Inside an area spec, an object that names itself becomes a named type (`Printout`, `RsNote`).
        if (scope.rootName === '' && (ownNames(node).length > 0 || where.at.endsWith('/items'))) {
          // Taken names (`Location` is conf's) fall back to the entity's item, then to the enclosing type's.
          const own = pascal(ownNames(node)[0] ?? '');
          const fallbacks = [
            where.at.endsWith('/items') && scope.entity ? singular(scope.entity) : '',
            `${scope.parent ?? scope.entity ?? ''}${own}`,
          ];
          return { kind: 'ref', id: this.namedInline(where.file, where.at, node, scope, fallbacks) };
        }
        return { kind: 'object', properties: this.properties(node, where, scope) };
      default:
        throw new GeneratorError(
          where.file,
          joinPointer(where.at, 'type'),
          `unsupported type ${JSON.stringify(node.type)}`,
          UNSUPPORTED_HINT,
        );
    }
  }

  private convertRef(
    ref: string,
    where: Where,
    scope: Scope,
    listDepth: number,
    aliases: readonly string[] = [],
  ): IrType {
    const target = this.store.resolveRef(ref, where.file, where.at);
    if (target.file !== where.file) return this.registry.external(target, where);
    const node = this.store.get(target, where) as Node;
    if (isAlias(node)) {
      // Aliases that lead back to themselves name no type at all (A → B → A): say which, instead of recursing.
      if (aliases.includes(target.pointer)) {
        const cycle = [...aliases.slice(aliases.indexOf(target.pointer)), target.pointer].map((p) => `#${p}`);
        throw new GeneratorError(
          where.file,
          target.pointer,
          `the schemas ${cycle.join(' → ')} only refer to each other: no type is ever defined`,
          'point one of them at a schema with a type (an object, a string…), or remove the cycle',
        );
      }
      const next = { file: where.file, at: target.pointer };
      return this.convertRef(node.$ref as string, next, scope, listDepth, [...aliases, target.pointer]);
    }
    if (node.type === 'array') return this.convert(node, { file: where.file, at: target.pointer }, scope, listDepth);
    if (scope.rootName === '' && isObjectSchema(node)) {
      return {
        kind: 'ref',
        id: this.namedInline(where.file, target.pointer, node, scope, [
          pascal(lastSegment(target.pointer)),
          scope.entity ?? '',
        ]),
      };
    }
    return { kind: 'ref', id: this.named(target, where, scope.rootDef, scope.rootName) };
  }

  private properties(node: Node, where: Where, scope: Scope): Property[] {
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    const props = node.properties as Record<string, Node>;
    return Object.entries(props).map(([name, prop]) => {
      const at = joinPointer(where.at, 'properties', name);
      return {
        name,
        required: required.has(name),
        description:
          stringOr(prop.description) || stringOr(this.lookThrough(prop, { file: where.file, at }).description),
        type: this.convert(prop, { file: where.file, at }, scope),
        xml: this.xmlFacts(name, prop, { file: where.file, at }),
      };
    });
  }

  /** The XML facts of a property; for lists, whether the schema wraps them and the item element name. */
  private xmlFacts(name: string, prop: Node, where: Where): XmlFacts {
    const xml = (prop.xml ?? {}) as { name?: string; attribute?: boolean; wrapped?: boolean };
    if (xml.name === 'xml_value') return { kind: 'text', name: 'xml_value' };
    if (xml.attribute) return { kind: 'attribute', name: xml.name ?? name };
    if (name === 'anies') return { kind: 'any', name: 'anies' };
    const list = this.lookThrough(prop, where);
    if (list.type === 'array') {
      const listXml = (list.xml ?? {}) as { name?: string; wrapped?: boolean };
      const items = this.lookThrough((list.items ?? {}) as Node, where);
      const itemName =
        ((list.items as Node | undefined)?.xml as { name?: string } | undefined)?.name ??
        ((items.xml as { name?: string } | undefined)?.name && listXml.wrapped
          ? (items.xml as { name: string }).name
          : undefined);
      if (listXml.wrapped) return { kind: 'element', name: itemName ?? name, wrapper: listXml.name ?? name };
      return { kind: 'element', name: xml.name ?? name };
    }
    return { kind: 'element', name: xml.name ?? name };
  }

  /** Follows same-file `$ref`s to the definition they name (without converting it). */
  private lookThrough(node: Node, where: Where): Node {
    let current = node;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 16; hops++) {
      const target = this.store.resolveRef(current.$ref, where.file, where.at);
      if (target.file !== where.file) return current;
      current = this.store.get(target, where) as Node;
    }
    return current;
  }
}

interface Scope {
  rootDef: string;
  rootName: string;
  /** Inside an area spec: the entity of the operation (`Printouts`), and the name of the enclosing named type. */
  entity?: string;
  parent?: string;
}

function isObjectSchema(node: Node): boolean {
  return (
    node !== null &&
    typeof node === 'object' &&
    (node.type === 'object' || node.type === undefined) &&
    typeof node.properties === 'object' &&
    node.$ref === undefined
  );
}

/** What a schema calls itself, best first: its `xml.name`, then its `title`. */
function ownNames(node: Node): string[] {
  return [(node.xml as { name?: string } | undefined)?.name, node.title].filter(
    (n): n is string => typeof n === 'string' && n !== '',
  );
}

/** The last segment of a JSON pointer, unless it is a keyword (`items`, `schema`) that names nothing. */
function lastSegment(pointer: string): string {
  const segments = pointer.split('/').filter((s) => !['items', 'schema', 'properties'].includes(s));
  return (segments.at(-1) ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

function isAlias(node: Node): boolean {
  return (
    typeof node.$ref === 'string' &&
    node.$ref.startsWith('#/') &&
    Object.keys(node).every((k) => k === '$ref' || k === 'description' || k === 'example')
  );
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
