import { describe, expect, test } from 'vitest';
import { parseXml } from '../../../runtime/internal/xml/tree.js';
import { XmlSyntaxError } from '../../../runtime/xml/limits.js';

describe('well-formedness, with line and column', () => {
  const cases: [given: string, message: RegExp, line: number, column: number][] = [
    ['<a><b></a>', /expected <\/b>, found <\/a>/, 1, 7],
    ['<a>\n  <b>\n</a>', /expected <\/b>, found <\/a>/, 3, 1],
    ['<a>', /<a> is never closed/, 1, 4],
    ['</a>', /closing tag <\/a> without an opening tag/, 1, 1],
    ['<a/><b/>', /more than one root element/, 1, 5],
    ['<a x=1/>', /malformed attribute/, 1, 1],
    ['<a x="1" x="2"/>', /attribute "x" repeated/, 1, 1],
    ['<a x="<"/>', /"<" in an attribute value/, 1, 1],
    ['<a>Tom & Jerry</a>', /"&" must start an entity reference/, 1, 8],
    ['<a>&nbsp;</a>', /"&" must start an entity reference/, 1, 4],
    ['<a><!-- open </a>', /unterminated comment/, 1, 4],
    ['<a><![CDATA[x</a>', /unterminated CDATA/, 1, 4],
    ['<1a/>', /invalid element name "1a"/, 1, 1],
    ['text<a/>', /text outside the root element/, 1, 1],
    ['', /no root element/, 1, 1],
  ];
  test.each(cases)('%j', (given, message, line, column) => {
    let error: unknown;
    try {
      parseXml(given);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).message).toMatch(message);
    expect(error).toMatchObject({ line, column });
  });

  test.each([
    '<a x=\'1\' y="a>b">t &amp; &lt; &#233; &#xE9;<![CDATA[ & < ]]><!-- c & < --><?pi x?><b/></a>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- before -->\n<a/>\n',
    '<ns:a xmlns:ns="urn:x"><ns:b>1</ns:b></ns:a>',
  ])('accepts %j', (given) => {
    expect(parseXml(given).name).toMatch(/a$/);
  });
});

describe('the tree, built in the same pass', () => {
  const shape = (xml: string): unknown => {
    const strip = (e: ReturnType<typeof parseXml>): unknown => ({
      name: e.name,
      attributes: e.attributes,
      children: e.children.map((c) => ('name' in c ? strip(c) : c)),
    });
    return strip(parseXml(xml));
  };
  const cases: [given: string, want: unknown][] = [
    [
      '<a x="1 &amp; 2" y=\'&#233;\'/>',
      {
        name: 'a',
        attributes: [
          ['x', '1 & 2'],
          ['y', 'é'],
        ],
        children: [],
      },
    ],
    ['<a>t&lt;1&#x41;&quot;</a>', { name: 'a', attributes: [], children: [{ text: 't<1A"' }] }],
    ['<a>p\r\nq\rr&#13;</a>', { name: 'a', attributes: [], children: [{ text: 'p\nq\nr\r' }] }],
    [
      '<a>x<!--c--><?pi?>y<![CDATA[<z>&\r\n]]>w</a>',
      { name: 'a', attributes: [], children: [{ text: 'xy' }, { text: '<z>&\n', cdata: true }, { text: 'w' }] },
    ],
    [
      '<a x="1\r\n2"><b/> </a>',
      {
        name: 'a',
        attributes: [['x', '1\n2']],
        children: [{ name: 'b', attributes: [], children: [] }, { text: ' ' }],
      },
    ],
  ];
  test.each(cases)('%j', (given, want) => expect(shape(given)).toEqual(want));

  test("each element knows its exact markup; the root's children can be taken as they close", () => {
    const xml = '<list n="2"><item id="1">a</item><item id="2"/></list>';
    const taken: string[] = [];
    const root = parseXml(
      xml,
      {},
      {
        onRootChild: (child) => {
          taken.push(xml.slice(child.source!.start, child.source!.end));
          return true;
        },
      },
    );
    expect(taken).toEqual(['<item id="1">a</item>', '<item id="2"/>']);
    expect(root.children).toEqual([]);
    expect(root.source).toMatchObject({ start: 0, end: xml.length });
  });
});
