import {
  childElements,
  localName,
  ownText,
  parseXml,
  rawFragment,
  rawXml,
  serializeXml,
  type XmlElement,
  type XmlRaw,
} from '../internal/xml/tree.js';
import type { XmlLimits } from './limits.js';
import type { XmlProp, XmlType } from './schema.js';

/** A JSON object as Alma's JSON API returns it. */
export type JsonObject = { [key: string]: unknown };

/**
 * Keys of a decoded object that were XML attributes its schema does not know; kept (not enumerable, not in JSON)
 * so that an object read from XML and written back keeps them as attributes.
 */
const FOREIGN_ATTRIBUTES = Symbol.for('alma-codegen.xml.foreign-attributes');

/** Elements found inside a list wrapper that are not its items, with the number of items before each. */
const FOREIGN_CHILDREN = Symbol.for('alma-codegen.xml.foreign-children');
type ForeignChildren = { before: number; xml: string }[];

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Why a document could not be converted. */
export class XmlCodecError extends Error {
  override readonly name = 'XmlCodecError';
}

/**
 * Alma XML → the JSON Alma returns for `Accept: application/json`, driven by `type` (without one, by the generic
 * rules alone): attributes become keys, text with attributes becomes `value`, wrapper elements are dropped for
 * their items, numbers and booleans only where the schema says so, foreign XML (the MARC `<record>`) becomes
 * strings in `anies`. Elements and attributes the schema does not know are kept.
 */
export function xmlToJson(xml: string, type?: XmlType, limits?: XmlLimits): JsonObject {
  // The root's children are decoded as each closes and then dropped: a list of many records is never held as an
  // element tree beside the JSON made of it.
  let decoder: ObjectDecoder | undefined;
  const root = parseXml(xml, limits, {
    onRoot(element) {
      if (type?.root && localName(element.name) !== type.root)
        throw new XmlCodecError(`expected a <${type.root}> document, got <${element.name}>`);
      decoder = new ObjectDecoder(element, type, true);
    },
    onRootChild(child) {
      decoder!.child(child);
      return true;
    },
  });
  const out = decoder!.finish(root);
  // A document whose elements carry a prefix (`<ns:user xmlns:ns="…">`): kept, so that it goes back as it came.
  const prefix = prefixOf(root.name);
  if (prefix && type) Object.defineProperty(out, ELEMENT_PREFIX, { value: prefix, enumerable: false });
  return out;
}

/** The prefix of a decoded document's elements (`ns` in `<ns:user>`), for writing it back with the same names. */
const ELEMENT_PREFIX = Symbol.for('alma-codegen.xml.element-prefix');

function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : undefined;
}

/** Every element the schema named (no prefix of its own), written with the document's prefix; foreign XML as it is. */
function withPrefix(element: XmlElement, prefix: string): void {
  if (!element.name.includes(':')) element.name = `${prefix}:${element.name}`;
  for (const child of element.children) if ('name' in child) withPrefix(child, prefix);
}

/** The inverse of `xmlToJson`: elements in schema order, unknown keys after the key they followed. */
export function jsonToXml(
  value: JsonObject,
  type?: XmlType,
  options: { rootName?: string; declaration?: boolean } = {},
): string {
  const rootName = type?.root ?? options.rootName;
  if (!rootName)
    throw new XmlCodecError('jsonToXml needs the root element name: give a type with a root or options.rootName');
  const root = encodeObject(rootName, value, type);
  const prefix = (value as { [ELEMENT_PREFIX]?: string })[ELEMENT_PREFIX];
  if (prefix) withPrefix(root, prefix);
  else if (type?.namespace && !root.attributes.some(([n]) => n === 'xmlns'))
    root.attributes.unshift(['xmlns', type.namespace]);
  return (options.declaration === false ? '' : XML_DECLARATION) + serializeXml(root);
}

interface Compiled {
  byElement: Map<string, XmlProp>;
  byAttribute: Map<string, XmlProp>;
  byKey: Map<string, XmlProp>;
  /** Keys of props that have a place among the children (elements and foreign content). */
  anchors: Set<string>;
  text?: XmlProp;
  any?: XmlProp;
}

const compiledTypes = new WeakMap<XmlType, Compiled>();

function compile(type: XmlType): Compiled {
  let compiled = compiledTypes.get(type);
  if (compiled) return compiled;
  compiled = { byElement: new Map(), byAttribute: new Map(), byKey: new Map(), anchors: new Set() };
  for (const prop of type.props) {
    compiled.byKey.set(prop.key, prop);
    const kind = prop.kind ?? 'element';
    if (kind === 'element' || kind === 'any') compiled.anchors.add(prop.key);
    if (kind === 'attribute') compiled.byAttribute.set(xmlName(prop), prop);
    else if (kind === 'text') compiled.text = prop;
    else if (kind === 'any') compiled.any = prop;
    else compiled.byElement.set(prop.wrapper ?? xmlName(prop), prop);
  }
  compiledTypes.set(type, compiled);
  return compiled;
}

const xmlName = (prop: XmlProp) => prop.name ?? prop.key;
const resolve = (type: XmlProp['type']): XmlType | undefined => (typeof type === 'function' ? type() : type);
const hasOwn = (object: object, key: string) => Object.hasOwn(object, key);
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets a key as plain data: `__proto__` is defined, never assigned (which would change the prototype). */
function define(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

function hasChildElements(element: XmlElement): boolean {
  for (const child of element.children) if ('name' in child) return true;
  return false;
}

/** Adds a value under `key`, turning a repeated key into a list. */
function append(object: JsonObject, key: string, value: unknown, list: boolean): void {
  if (!hasOwn(object, key)) define(object, key, list ? [value] : value);
  else if (Array.isArray(object[key]) && (list || (object[key] as unknown[]).length > 0))
    (object[key] as unknown[]).push(value);
  else define(object, key, [object[key], value]);
}

function decodeObject(element: XmlElement, type: XmlType | undefined, isRoot: boolean): JsonObject {
  const decoder = new ObjectDecoder(element, type, isRoot);
  for (const child of element.children) if ('name' in child) decoder.child(child);
  return decoder.finish(element);
}

/**
 * An element decoded as an object in three steps, so that a document's root can be decoded while it is read: its
 * attributes (known when it opens), each child element, then its text (known when it closes).
 */
class ObjectDecoder {
  private readonly out: JsonObject = {};
  private readonly compiled: Compiled | undefined;
  private readonly foreign: string[] = [];
  private elements = 0;
  private readonly attributeKeys: number;

  constructor(
    element: XmlElement,
    private readonly type: XmlType | undefined,
    isRoot: boolean,
  ) {
    const { out, foreign } = this;
    const compiled = type ? compile(type) : undefined;
    this.compiled = compiled;
    for (const [name, value] of element.attributes) {
      if (isRoot && type?.namespace && name === 'xmlns' && value === type.namespace) continue;
      const prop = compiled?.byAttribute.get(name);
      if (prop) define(out, prop.key, scalar(prop, value));
      else {
        define(out, name, value);
        foreign.push(name);
      }
    }
    this.attributeKeys = Object.keys(out).length;
  }

  child(child: XmlElement): void {
    const { out, compiled } = this;
    this.elements++;
    const prop = compiled?.byElement.get(child.name) ?? compiled?.byElement.get(localName(child.name));
    if (prop && prop.wrapper !== undefined && child.name === prop.wrapper) {
      if (!hasOwn(out, prop.key)) define(out, prop.key, []);
      const list = out[prop.key] as unknown[];
      for (const item of childElements(child)) {
        if (localName(item.name) === xmlName(prop)) list.push(decodeValue(item, prop));
        else foreignChildren(list).push({ before: list.length, xml: rawXml(item) });
      }
    } else if (prop) {
      append(out, prop.key, decodeValue(child, prop), prop.list === true);
    } else if (compiled?.any && (compiled.byElement.size === 0 || isForeign(child))) {
      append(out, compiled.any.key, rawXml(child), true);
    } else {
      append(out, child.name, decodeGeneric(child), false);
    }
  }

  /** `element`: the same element, closed (its text is then all there). */
  finish(element: XmlElement): JsonObject {
    const { compiled, foreign } = this;
    let out = this.out;
    const text = ownText(element);
    // Text beside child elements is indentation unless it has content (then it is kept, as `value`).
    const key =
      text !== '' && (this.elements === 0 || text.trim() !== '')
        ? (compiled?.text?.key ?? (compiled?.byKey.has('value') ? undefined : 'value'))
        : undefined;
    if (key !== undefined) {
      const value = compiled?.text ? scalar(compiled.text, text) : text;
      // Text on both sides of a child element (`Jo<b>bold</b>hn`) has no JSON form that keeps its order: refused,
      // rather than written back as `John<b>bold</b>`.
      if (this.elements > 0 && textAfterChildElement(element))
        throw new XmlCodecError(
          `<${element.name}> mixes text and elements (text after <${firstChildName(element)}>): Alma's JSON has no form that keeps that order`,
        );
      if (this.elements === 0) define(out, key, value);
      else {
        // Mixed content: the text goes after the attributes, before the children, as the element reads.
        const entries = Object.entries(out);
        out = {};
        for (const [k, v] of entries.slice(0, this.attributeKeys)) define(out, k, v);
        define(out, key, value);
        for (const [k, v] of entries.slice(this.attributeKeys)) define(out, k, v);
      }
    }
    // Recorded also when empty for objects without a schema: then it is known which keys were not attributes.
    if (foreign.length || !this.type)
      Object.defineProperty(out, FOREIGN_ATTRIBUTES, { value: foreign, enumerable: false });
    return out;
  }
}

function foreignChildren(list: unknown[]): ForeignChildren {
  const existing = (list as { [FOREIGN_CHILDREN]?: ForeignChildren })[FOREIGN_CHILDREN];
  if (existing) return existing;
  const created: ForeignChildren = [];
  Object.defineProperty(list, FOREIGN_CHILDREN, { value: created, enumerable: false });
  return created;
}

function decodeValue(element: XmlElement, prop: XmlProp): unknown {
  const type = resolve(prop.type);
  if (type) return decodeObject(element, type, false);
  // A simple element that came with attributes or children is kept whole rather than cut down to its text.
  if (element.attributes.length > 0 || hasChildElements(element)) return decodeObject(element, undefined, false);
  return scalar(prop, ownText(element));
}

function decodeGeneric(element: XmlElement): unknown {
  if (element.attributes.length === 0 && !hasChildElements(element)) return ownText(element);
  return decodeObject(element, undefined, false);
}

/** Numbers and booleans only where the schema says so, and only when the text reads back the same. */
function scalar(prop: XmlProp, text: string): unknown {
  if (prop.scalar === 'number') {
    const n = Number(text);
    return text.trim() !== '' && String(n) === text ? n : text;
  }
  if (prop.scalar === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/**
 * Foreign content for `anies` in a type that also has elements of its own: the MARC record, or anything in another
 * namespace. (In a type made of foreign content alone, such as an analytics `report`, every child is foreign.)
 */
function isForeign(element: XmlElement): boolean {
  return (
    element.name === 'record' ||
    element.name.includes(':') ||
    element.attributes.some(([n]) => n === 'xmlns' || n.startsWith('xmlns:'))
  );
}

function encodeObject(name: string, value: JsonObject, type: XmlType | undefined): XmlElement {
  const element: XmlElement = { name, attributes: [], children: [] };
  const compiled = type ? compile(type) : undefined;
  const recorded = (value as { [FOREIGN_ATTRIBUTES]?: string[] })[FOREIGN_ATTRIBUTES];
  const foreign = new Set(recorded ?? []);
  const besideValue =
    type === undefined &&
    recorded === undefined &&
    hasOwn(value, 'value') &&
    !isObject(value.value) &&
    !Array.isArray(value.value);
  for (const key of orderedKeys(value, type)) {
    const item = value[key];
    if (item === undefined || item === null) continue;
    const prop = compiled?.byKey.get(key);
    if (!prop) {
      encodeUnknown(element, key, item, foreign.has(key), type === undefined, besideValue);
      continue;
    }
    switch (prop.kind ?? 'element') {
      case 'attribute':
        element.attributes.push([xmlName(prop), text(item)]);
        break;
      case 'text':
        element.children.push({ text: text(item) });
        break;
      case 'any':
        for (const xml of Array.isArray(item) ? item : [item]) element.children.push(parseForeign(String(xml)));
        break;
      default: {
        const nodes = (Array.isArray(item) ? item : [item])
          .filter((v) => v !== null && v !== undefined)
          .map((v) => encodeValue(xmlName(prop), v, prop));
        if (prop.wrapper !== undefined) {
          const foreign = (item as { [FOREIGN_CHILDREN]?: ForeignChildren })[FOREIGN_CHILDREN] ?? [];
          const children: XmlElement['children'] = [...nodes];
          for (const { before, xml } of [...foreign].reverse()) children.splice(before, 0, parseForeign(xml));
          element.children.push({ name: prop.wrapper, attributes: [], children });
        } else element.children.push(...nodes);
      }
    }
  }
  return element;
}

/**
 * A key the schema does not know. Attributes read from XML go back as attributes; without that knowledge (JSON
 * from elsewhere), Alma's rule decides: beside a scalar `value`, scalars are attributes (`{ value, desc }`).
 */
function encodeUnknown(
  element: XmlElement,
  key: string,
  item: unknown,
  wasAttribute: boolean,
  generic: boolean,
  besideValue: boolean,
): void {
  const isScalar = !isObject(item) && !Array.isArray(item);
  if (isScalar && (wasAttribute || (besideValue && key !== 'value'))) element.attributes.push([key, text(item)]);
  else if (generic && key === 'value' && !isObject(item) && !Array.isArray(item))
    element.children.push({ text: text(item) });
  else
    for (const v of Array.isArray(item) ? item : [item])
      if (v !== null && v !== undefined) element.children.push(encodeGeneric(key, v));
}

function encodeValue(name: string, value: unknown, prop: XmlProp): XmlElement {
  if (isObject(value)) return encodeObject(name, value, resolve(prop.type));
  return encodeGeneric(name, value);
}

function encodeGeneric(name: string, value: unknown): XmlElement {
  if (isObject(value)) return encodeObject(name, value, undefined);
  const content = text(value);
  return { name, attributes: [], children: content === '' ? [] : [{ text: content }] };
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

function parseForeign(xml: string): XmlRaw {
  try {
    return rawFragment(xml);
  } catch (error) {
    throw new XmlCodecError(`an anies entry (or kept foreign XML) is not well-formed XML: ${(error as Error).message}`);
  }
}

/** Known keys in schema order; each unknown key right after the key it followed. */
function orderedKeys(value: JsonObject, type: XmlType | undefined): string[] {
  const keys = Object.keys(value);
  if (!type) return keys;
  const { byKey, anchors } = compile(type);
  // Only elements have a place among the children; an attribute or text key anchors nothing.
  let after: Map<string, string[]> | undefined;
  let anchor = '';
  for (const key of keys) {
    if (anchors.has(key)) anchor = key;
    else if (!byKey.has(key)) {
      after ??= new Map();
      after.set(anchor, [...(after.get(anchor) ?? []), key]);
    }
  }
  if (!after) return type.props.filter((p) => hasOwn(value, p.key)).map((p) => p.key);
  const ordered = [...(after.get('') ?? [])];
  for (const prop of type.props) {
    if (hasOwn(value, prop.key)) ordered.push(prop.key);
    ordered.push(...(after.get(prop.key) ?? []));
  }
  return ordered;
}

/**
 * Whether non-blank text follows a child element (mixed content whose order JSON cannot keep). Read from the
 * element's markup: a streamed document's root no longer holds its children when it closes.
 */
function textAfterChildElement(element: XmlElement): boolean {
  const source = element.source;
  if (!source) return false;
  const markup = source.text.slice(source.start, source.end);
  let depth = 0;
  let seenChild = false;
  for (const token of markup.match(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<[^>]*>|[^<]+/g) ?? []) {
    if (token.startsWith('<!--') || token.startsWith('<?')) continue;
    if (token.startsWith('<![CDATA[') || !token.startsWith('<')) {
      // Text of the element itself (depth 1), after one of its children.
      if (depth === 1 && seenChild && (token.startsWith('<![CDATA[') || token.trim() !== '')) return true;
      continue;
    }
    if (token.startsWith('</')) depth--;
    else {
      if (depth === 1) seenChild = true;
      if (!token.endsWith('/>')) depth++;
    }
  }
  return false;
}

function firstChildName(element: XmlElement): string {
  const source = element.source;
  const inner = source ? source.text.slice(source.start, source.end) : '';
  return /^<[^>]*>[\s\S]*?<([A-Za-z_][\w.:-]*)/.exec(inner)?.[1] ?? '';
}
