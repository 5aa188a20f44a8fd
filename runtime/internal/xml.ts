import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element, namespace prefixes removed. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text content. */
  text: string;
}

/** Documents above this size are not parsed. */
export const MAX_XML_BYTES = 16 * 1024 * 1024;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

type Ordered = Record<string, unknown>[];

/**
 * Parses a small XML document into elements, or `undefined` when it is not well-formed. Documents with a DOCTYPE
 * are refused outright: Alma never sends one, and DTDs are how entity-expansion attacks arrive.
 */
export function parseXmlDocument(text: string): XmlElement | undefined {
  if (text.length > MAX_XML_BYTES || /<!DOCTYPE/i.test(text)) return undefined;
  if (XMLValidator.validate(text) !== true) return undefined;
  return toElements(parser.parse(text) as Ordered)[0];
}

function toElements(list: Ordered): XmlElement[] {
  const elements: XmlElement[] = [];
  for (const entry of list) {
    const tag = Object.keys(entry).find((k) => k !== ':@');
    if (!tag || tag.startsWith('?') || tag.startsWith('#')) continue;
    const content = entry[tag] as Ordered;
    const text = content.map((c) => (c['#text'] === undefined ? '' : String(c['#text']))).join('');
    elements.push({ name: tag, attributes: (entry[':@'] ?? {}) as Record<string, string>, children: toElements(content), text: text.trim() });
  }
  return elements;
}
