// The XML codec, for converting records yourself: `import { xmlToJson, jsonToXml } from '<package>/xml'`. It has
// its own entry point so that a bundle which never converts XML itself does not carry the parser: the client loads
// it on first use, when XML is on the wire. `escapeXmlText` escapes a text node's `&`, `<` and `>` for XML you write.
export { jsonToXml, xmlToJson, XmlCodecError, type JsonObject } from './codec.js';
export { escapeXmlText } from './escape.js';
export { XmlSyntaxError, type XmlLimits } from './limits.js';
