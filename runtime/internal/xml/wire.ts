// Everything that reads or writes XML on the wire, in one module that the client loads on first use: a client that
// only ever sees JSON never loads the codec and its parser.
import { childElements, localName, ownText, parseXml, type XmlElement } from './tree.js';
import { detail, shorten, type NormalisedError } from '../error-text.js';

export { jsonToXml, xmlToJson } from '../../xml/codec.js';

/** Reads `web_service_result` in XML (namespaced or not); see `normaliseErrorBody`. */
export function xmlErrorBody(text: string): NormalisedError {
  let root: XmlElement;
  try {
    root = parseXml(text, { maxDocumentBytes: 1024 * 1024 });
  } catch {
    return { errors: [], bodyText: shorten(text) };
  }
  const errorList = childElements(root).find((c) => localName(c.name) === 'errorList');
  const errors = childElements(errorList ?? root)
    .filter((c) => localName(c.name) === 'error')
    .map((e) => detail(childText(e, 'errorCode'), childText(e, 'errorMessage'), childText(e, 'trackingId')));
  return errors.length ? { errors } : { errors, bodyText: shorten(text) };
}

function childText(element: XmlElement, name: string): string | undefined {
  const child = childElements(element).find((c) => localName(c.name) === name);
  return child ? ownText(child).trim() : undefined;
}
