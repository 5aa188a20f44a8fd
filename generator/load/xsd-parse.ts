import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';

/** An XSD element, namespace prefix removed: `xs:element` → `element`. */
export interface XsdNode {
  name: string;
  attrs: Record<string, string>;
  children: XsdNode[];
  /** Concatenated text content (documentation). */
  text: string;
}

/**
 * fast-xml-parser, loaded on the first XSD to parse, from its CommonJS build (15 ms against its ESM build's 65): a
 * generation that finds every XSD in its parse cache never loads it.
 */
let loaded: { parser: FastXmlParser.XMLParser; validator: typeof FastXmlParser.XMLValidator } | undefined;
function fastXmlParser(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof FastXmlParser;
  loaded = { parser: new XMLParser(PARSER_OPTIONS), validator: XMLValidator };
  return loaded;
}

const PARSER_OPTIONS: FastXmlParser.X2jOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  commentPropName: false as unknown as string,
};

type Ordered = Record<string, unknown>[];

/** Parses XSD text into a small tree; throws with the parser's line and column on malformed XML. */
export function parseXsd(text: string): XsdNode {
  const { parser, validator } = fastXmlParser();
  const valid = validator.validate(text);
  if (valid !== true) {
    // The validator reports elements never closed as a dump of their names at line 1: say it as the file's end.
    const open = /^Invalid '\[(.*)\]' found\.$/s.exec(valid.err.msg);
    if (open) {
      const names = [...open[1]!.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
      const lines = text.split('\n');
      const where = `line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
      throw new Error(
        `the file ends before ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} closed: truncated? (${where})`,
      );
    }
    throw new Error(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const ordered = parser.parse(text) as Ordered;
  const root = toNodes(ordered).find((n) => n.name === 'schema');
  if (!root) throw new Error('no <xs:schema> root element');
  return root;
}

function toNodes(list: Ordered): XsdNode[] {
  const nodes: XsdNode[] = [];
  for (const entry of list) {
    const tag = Object.keys(entry).find((k) => k !== ':@');
    if (!tag || tag === '?xml' || tag === '#comment') continue;
    if (tag === '#text') continue;
    const content = entry[tag] as Ordered;
    const attrs = (entry[':@'] ?? {}) as Record<string, string>;
    const children = toNodes(content);
    const text = content
      .map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : ''))
      .join('')
      .trim();
    nodes.push({ name: tag.replace(/^[^:]+:/, ''), attrs, children, text });
  }
  return nodes;
}

export function child(node: XsdNode, name: string): XsdNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** The `<xs:annotation><xs:documentation>` text, whitespace folded. */
export function documentation(node: XsdNode): string {
  const doc =
    child(node, 'annotation')
      ?.children.filter((c) => c.name === 'documentation')
      .map((d) => d.text)
      .join(' ') ?? '';
  return doc.replace(/\s+/g, ' ').trim();
}
