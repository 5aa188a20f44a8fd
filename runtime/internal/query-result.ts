// Reads one page of an Analytics report: the `QueryResult` document Alma sends inside `anies`. Loaded on first use,
// with the XML parser.
import { AlmaError } from '../errors.js';
import { childElements, localName, ownText, parseXml, type XmlElement } from './xml/tree.js';

export interface QueryResultPage {
  token: string | undefined;
  finished: boolean;
  /** Column element name (`Column1`) → its heading, from the rowset's schema; only the first page has one. */
  headings: [column: string, heading: string][] | undefined;
  /** Each row: column element name → text. Alma leaves empty cells out. */
  rows: [column: string, value: string][][];
}

export function readQueryResult(xml: string): QueryResultPage {
  const root = parseXml(xml);
  const result = localName(root.name) === 'QueryResult' ? root : child(root, 'QueryResult');
  if (!result) throw new AlmaError(`expected a QueryResult document, got <${root.name}>`);
  const rowset = child(child(result, 'ResultXml'), 'rowset');
  const rows = rowset ? childElements(rowset).filter((e) => localName(e.name) === 'Row') : [];
  const schema = child(rowset, 'schema');
  return {
    token: text(child(result, 'ResumptionToken')) || undefined,
    finished: text(child(result, 'IsFinished')) === 'true',
    headings: schema ? schemaHeadings(schema) : undefined,
    rows: rows.map((row) => childElements(row).map((cell) => [localName(cell.name), ownText(cell)])),
  };
}

/** `<xsd:element name="Column1" saw-sql:columnHeading="First Name">` → [`Column1`, `First Name`], in order. */
function schemaHeadings(schema: XmlElement): [string, string][] {
  const headings: [string, string][] = [];
  const visit = (element: XmlElement) => {
    for (const e of childElements(element)) {
      if (localName(e.name) === 'element') {
        const name = attribute(e, 'name');
        if (name) headings.push([name, attribute(e, 'columnHeading') ?? name]);
      } else visit(e);
    }
  };
  visit(schema);
  return headings;
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element ? childElements(element).find((c) => localName(c.name) === name) : undefined;
}

function attribute(element: XmlElement, name: string): string | undefined {
  return element.attributes.find(([key]) => localName(key) === name)?.[1];
}

function text(element: XmlElement | undefined): string {
  return element ? ownText(element).trim() : '';
}
