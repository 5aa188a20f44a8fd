import { childElements, parseXml, type XmlChild, type XmlElement } from '../../runtime/internal/xml/tree.js';

/**
 * A canonical form for comparing documents: attributes sorted, CDATA as text, text between elements that is only
 * whitespace (indentation) dropped, character references decoded (by the parser). Two documents are canonically
 * equal when their canonical forms are.
 */
export function canonical(xml: string): unknown {
  return canonicalElement(parseXml(xml));
}

function canonicalElement(element: XmlElement): unknown {
  const hasElements = childElements(element).length > 0;
  const children: unknown[] = [];
  let text = '';
  const flush = () => {
    if (text !== '' && !(hasElements && text.trim() === '')) children.push(text);
    text = '';
  };
  for (const child of element.children as XmlChild[]) {
    if ('name' in child) {
      flush();
      children.push(canonicalElement(child));
    } else if ('text' in child) text += child.text;
  }
  flush();
  return { name: element.name, attributes: [...element.attributes].sort(([a], [b]) => (a < b ? -1 : 1)), children };
}
