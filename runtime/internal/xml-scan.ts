/**
 * One pass over an XML document's markup: checks that it is well-formed (tags nest and close, attributes are
 * quoted and not repeated, every `&` starts a predefined or numeric reference, one root), limits the nesting, and
 * records where each element starts and ends, in document order, so that foreign content (a MARC record) can be
 * kept as the exact text it was sent as. It reads no DTD: a document with one is refused before this runs.
 */
export interface ScanResult {
  /** Start and end offsets of each element, two entries per element, in document (pre-)order. */
  spans: number[];
}

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

export function scanXml(text: string, maxDepth: number): ScanResult {
  const spans: number[] = [];
  const open: { name: string; index: number }[] = [];
  let roots = 0;
  let i = 0;
  // The next "&" at or after the current text, found once: searching from each text node to the end of a document
  // without one would make the scan quadratic.
  let nextAmp = -2;
  const checkText = (from: number, to: number) => {
    if (nextAmp !== -1 && nextAmp < from) nextAmp = text.indexOf('&', from);
    for (; nextAmp !== -1 && nextAmp < to; nextAmp = text.indexOf('&', nextAmp + 1)) {
      REFERENCE.lastIndex = nextAmp;
      if (!REFERENCE.test(text)) throw new ScanError('"&" must start an entity reference (&amp; &lt; &gt; &quot; &apos; or &#…;)', nextAmp);
    }
    if (open.length === 0 && text.slice(from, to).trim() !== '') throw new ScanError('text outside the root element', from);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? text.length : lt;
    if (end > i) checkText(i, end);
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close === -1) throw new ScanError('unterminated comment', lt);
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close === -1) throw new ScanError('unterminated CDATA section', lt);
      if (open.length === 0) throw new ScanError('CDATA outside the root element', lt);
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
      const inner = text.slice(lt + 1, close);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim();
        const top = open.pop();
        if (!top) throw new ScanError(`closing tag </${name}> without an opening tag`, lt);
        if (top.name !== name) throw new ScanError(`expected </${top.name}>, found </${name}>`, lt);
        spans[top.index * 2 + 1] = close + 1;
      } else {
        const selfClosing = inner.endsWith('/');
        const body = selfClosing ? inner.slice(0, -1) : inner;
        const nameEnd = body.search(/\s|$/);
        const name = body.slice(0, nameEnd);
        if (!NAME.test(name)) throw new ScanError(`invalid element name "${name}"`, lt);
        checkAttributes(body.slice(nameEnd), lt);
        if (open.length === 0 && roots++ > 0) throw new ScanError('more than one root element', lt);
        const index = spans.length / 2;
        spans.push(lt, selfClosing ? close + 1 : -1);
        if (!selfClosing) {
          open.push({ name, index });
          if (open.length > maxDepth) throw new ScanError(`elements nest deeper than ${maxDepth} levels`, lt);
        }
      }
      i = close + 1;
    }
  }
  if (open.length > 0) throw new ScanError(`<${open.at(-1)!.name}> is never closed`, text.length);
  if (roots === 0) throw new ScanError('no root element', 0);
  return { spans };
}

/** The `>` that ends the tag at `lt`, skipping quoted attribute values. */
function tagEnd(text: string, lt: number): number {
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

function checkAttributes(source: string, at: number): void {
  const seen = new Set<string>();
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(source); match; match = ATTRIBUTE.exec(source)) {
    if (match[5] !== undefined) throw new ScanError('malformed attribute (attributes are name="value")', at);
    const name = match[1]!;
    if (!NAME.test(name)) throw new ScanError(`invalid attribute name "${name}"`, at);
    if (seen.has(name)) throw new ScanError(`attribute "${name}" repeated`, at);
    seen.add(name);
    const value = match[3] ?? match[4] ?? '';
    if (value.includes('<')) throw new ScanError('"<" in an attribute value', at);
    if (value.includes('&')) {
      for (let amp = value.indexOf('&'); amp !== -1; amp = value.indexOf('&', amp + 1)) {
        REFERENCE.lastIndex = amp;
        if (!REFERENCE.test(value)) throw new ScanError('"&" must start an entity reference', at);
      }
    }
  }
}
