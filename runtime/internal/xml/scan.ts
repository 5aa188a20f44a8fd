import type { XmlChild, XmlElement } from './tree.js';

/**
 * One pass over an XML document's markup: checks that it is well-formed (tags nest and close, attributes are
 * quoted and not repeated, every `&` starts a predefined or numeric reference, one root), limits the nesting, and,
 * when asked, builds the element tree in the same pass: elements with their attributes and children in document
 * order, text with its references decoded and its line ends read as XML reads them, CDATA kept apart, comments and
 * processing instructions dropped, and where each element's markup starts and ends (so that foreign content, a
 * MARC record, can be kept as the exact text it was sent as). It reads no DTD: a document with one is refused
 * before this runs.
 */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z_:\u00C0-\uFFEF][\w.:\-\u00B7\u00C0-\uFFEF]*$/;
const ATTRIBUTE = /\s*([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')|\s*(\S)/g;
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
const REFERENCES = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
/** Element names that would reach an object's prototype as keys of the JSON built from the document. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * What a reader of the tree can take while it is built: the root as soon as it opens (its attributes known), and
 * each child of the root as soon as it closes. A child `onRootChild` returns true for is not kept in the tree: a
 * list of many records is read record by record, never held whole beside what is made of it.
 */
export interface TreeHooks {
  onRoot?(root: XmlElement): void;
  onRootChild?(child: XmlElement): boolean;
}

/** Checks the document; with `build`, also returns its root element. */
export function scanXml(text: string, maxDepth: number, build: true, hooks?: TreeHooks): XmlElement;
export function scanXml(text: string, maxDepth: number, build?: false): undefined;
export function scanXml(text: string, maxDepth: number, build = false, hooks: TreeHooks = {}): XmlElement | undefined {
  const open: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  // The next "&" at or after the current text, found once: searching from each text node to the end of a document
  // without one would make the scan quadratic.
  let nextAmp = -2;
  const addText = (from: number, to: number) => {
    if (nextAmp !== -1 && nextAmp < from) nextAmp = text.indexOf('&', from);
    const hasReference = nextAmp !== -1 && nextAmp < to;
    for (; nextAmp !== -1 && nextAmp < to; nextAmp = text.indexOf('&', nextAmp + 1)) {
      REFERENCE.lastIndex = nextAmp;
      if (!REFERENCE.test(text))
        throw new ScanError('"&" must start an entity reference (&amp; &lt; &gt; &quot; &apos; or &#…;)', nextAmp);
    }
    const parent = open[open.length - 1];
    if (!parent) {
      if (text.slice(from, to).trim() !== '') throw new ScanError('text outside the root element', from);
      return;
    }
    if (!build) return;
    // Line ends first: a CR written as &#13; stays one.
    const value = hasReference ? decode(lineEnds(text.slice(from, to))) : lineEnds(text.slice(from, to));
    // Text on both sides of a comment or processing instruction is one text.
    const last = parent.children[parent.children.length - 1];
    if (last && 'text' in last && !last.cdata) last.text += value;
    else parent.children.push({ text: value });
  };
  // A child of the root has closed: the reader may take it (it is then the root's last child).
  const handOver = (parent: XmlElement, child: XmlElement) => {
    if (build && hooks.onRootChild?.(child)) parent.children.pop();
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? text.length : lt;
    if (end > i) addText(i, end);
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close === -1) throw new ScanError('unterminated comment', lt);
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close === -1) throw new ScanError('unterminated CDATA section', lt);
      const parent = open[open.length - 1];
      if (!parent) throw new ScanError('CDATA outside the root element', lt);
      if (build) parent.children.push({ text: lineEnds(text.slice(lt + 9, close)), cdata: true });
      i = close + 3;
    } else if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt + 2);
      if (close === -1) throw new ScanError('unterminated processing instruction', lt);
      i = close + 2;
    } else if (text.startsWith('<!', lt)) {
      throw new ScanError('declarations (<!…>) are not accepted', lt);
    } else {
      const close = tagEnd(text, lt);
      if (close === -1) throw new ScanError('unterminated tag', lt);
      if (text.charCodeAt(lt + 1) === 47 /* / */) {
        const name = text.slice(lt + 2, close).trim();
        const top = open.pop();
        if (!top) throw new ScanError(`closing tag </${name}> without an opening tag`, lt);
        if (top.name !== name) throw new ScanError(`expected </${top.name}>, found </${name}>`, lt);
        if (top.source) top.source.end = close + 1;
        if (open.length === 1) handOver(open[0]!, top);
      } else {
        const selfClosing = text.charCodeAt(close - 1) === 47;
        const body = text.slice(lt + 1, selfClosing ? close - 1 : close);
        const nameEnd = body.search(/\s|$/);
        const name = body.slice(0, nameEnd);
        if (!NAME.test(name)) throw new ScanError(`invalid element name "${name}"`, lt);
        if (RESERVED.has(name))
          throw new ScanError(
            `the element name "${name}" is a reserved JavaScript keyword: ` +
              'it could change the objects built from the document',
            lt,
          );
        const attributes = readAttributes(body, nameEnd, lt);
        const element: XmlElement = {
          name,
          attributes,
          children: [] as XmlChild[],
          source: { text, start: lt, end: close + 1 },
        };
        const parent = open[open.length - 1];
        if (parent) {
          if (build) parent.children.push(element);
          if (selfClosing && open.length === 1) handOver(parent, element);
        } else {
          if (root) throw new ScanError('more than one root element', lt);
          root = element;
          if (build) hooks.onRoot?.(element);
        }
        if (!selfClosing) {
          open.push(element);
          if (open.length > maxDepth) throw new ScanError(`elements nest deeper than ${maxDepth} levels`, lt);
        }
      }
      i = close + 1;
    }
  }
  if (open.length > 0) throw new ScanError(`<${open[open.length - 1]!.name}> is never closed`, text.length);
  if (!root) throw new ScanError('no root element', 0);
  return build ? root : undefined;
}

/** Line ends as XML reads them: CR LF and a lone CR are LF. */
function lineEnds(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

/** Text with its references (`&amp;`, `&#233;`…) replaced by the characters they stand for. */
function decode(value: string): string {
  return value.replace(REFERENCES, (_, ref: string) => {
    if (ref.charCodeAt(0) !== 35 /* # */) return NAMED[ref]!;
    const code = ref.charCodeAt(1) === 120 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

/** The `>` that ends the tag at `lt`, skipping quoted attribute values. */
export function tagEnd(text: string, lt: number): number {
  let quote = '';
  for (let j = lt + 1; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
    else if (c === '<') return -1;
  }
  return -1;
}

/** The attributes after the element name, in document order, values decoded; refuses malformed ones. */
function readAttributes(body: string, from: number, at: number): [name: string, value: string][] {
  const attributes: [string, string][] = [];
  if (from >= body.length) return attributes;
  const source = body.slice(from);
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(source); match; match = ATTRIBUTE.exec(source)) {
    if (match[5] !== undefined) throw new ScanError('malformed attribute (attributes are name="value")', at);
    const name = match[1]!;
    if (!NAME.test(name)) throw new ScanError(`invalid attribute name "${name}"`, at);
    if (attributes.some(([seen]) => seen === name)) throw new ScanError(`attribute "${name}" repeated`, at);
    const value = match[3] ?? match[4] ?? '';
    if (value.includes('<')) throw new ScanError('"<" in an attribute value', at);
    if (value.includes('&')) {
      for (let amp = value.indexOf('&'); amp !== -1; amp = value.indexOf('&', amp + 1)) {
        REFERENCE.lastIndex = amp;
        if (!REFERENCE.test(value)) throw new ScanError('"&" must start an entity reference', at);
      }
      attributes.push([name, decode(lineEnds(value))]);
    } else attributes.push([name, lineEnds(value)]);
  }
  return attributes;
}
