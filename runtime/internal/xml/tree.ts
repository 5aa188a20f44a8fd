import { escapeXmlAttribute, escapeXmlText } from '../../xml/escape.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_DOCUMENT_BYTES, XmlSyntaxError, type XmlLimits } from '../../xml/limits.js';
import { ScanError, scanXml, type TreeHooks } from './scan.js';

/** An XML element in document order. Attribute and element names are as written (prefixes kept). */
export interface XmlElement {
  name: string;
  /** Attributes in document order. */
  attributes: [name: string, value: string][];
  children: XmlChild[];
  /** Where the element was in the parsed text: its exact original markup (see `rawXml`). */
  source?: { text: string; start: number; end: number };
}

/** Markup written out verbatim (foreign content kept as it was received or given). */
export interface XmlRaw {
  raw: string;
}

/** Text content, entities decoded; `cdata` when it was a CDATA section (kept as one on output). */
export interface XmlText {
  text: string;
  cdata?: true;
}

export type XmlChild = XmlElement | XmlText | XmlRaw;

/** Parses a whole document to its root element in one pass (see `scanXml`), or throws `XmlSyntaxError`. */
export function parseXml(text: string, limits: XmlLimits = {}, hooks?: TreeHooks): XmlElement {
  const maxBytes = limits.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const bytes = utf8Length(text, maxBytes);
  if (bytes > maxBytes) {
    throw new XmlSyntaxError(
      `the document is over the limit of maxDocumentBytes (${maxBytes} bytes); pass a larger maxDocumentBytes ` +
        '(client option; `alma-codegen convert --max-size`) to read it',
    );
  }
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const { line, column } = position(text, doctype.index);
    throw new XmlSyntaxError(
      'DOCTYPE declarations are not accepted (Alma never sends one; they carry entity attacks)',
      line,
      column,
    );
  }
  try {
    return scanXml(text, limits.maxDepth ?? DEFAULT_MAX_DEPTH, true, hooks);
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    const { line, column } = position(text, error.offset);
    throw new XmlSyntaxError(error.message, line, column);
  }
}

/** The UTF-8 length of `text`, counted only as far as needed to know it is over `limit`. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Writes an element back as XML text. */
export function serializeXml(element: XmlElement): string {
  const parts: string[] = [];
  write(element, parts);
  return parts.join('');
}

function write(element: XmlElement, out: string[]): void {
  out.push('<', element.name);
  for (const [name, value] of element.attributes) out.push(' ', name, '="', escapeXmlAttribute(value), '"');
  if (element.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const child of element.children) {
    if ('name' in child) write(child, out);
    else if ('raw' in child) out.push(child.raw);
    else if (child.cdata) out.push('<![CDATA[', child.text.replace(/]]>/g, ']]]]><![CDATA[>'), ']]>');
    else out.push(escapeXmlText(child.text));
  }
  out.push('</', element.name, '>');
}

/** An element's markup exactly as it was parsed, or serialised when it was built in memory. */
export function rawXml(element: XmlElement): string {
  return element.source ? element.source.text.slice(element.source.start, element.source.end) : serializeXml(element);
}

/**
 * Checks that a fragment is one well-formed element (its XML declaration dropped) and returns it to be written
 * verbatim: how `anies` strings go back into a document.
 */
export function rawFragment(xml: string, limits: XmlLimits = {}): XmlRaw {
  const fragment = xml.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*/, '').trimEnd();
  if (/<!DOCTYPE/i.test(fragment)) throw new XmlSyntaxError('DOCTYPE declarations are not accepted');
  try {
    scanXml(fragment, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    const { line, column } = position(fragment, error.offset);
    throw new XmlSyntaxError(error.message, line, column);
  }
  return { raw: fragment };
}

/** The local part of a qualified name: `ws:errorCode` → `errorCode`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Concatenated text of an element's direct text children. */
export function ownText(element: XmlElement): string {
  let text = '';
  for (const child of element.children) if ('text' in child) text += child.text;
  return text;
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => 'name' in c);
}
