// Escaping of XML text and attribute values: for XML you write yourself (`escapeXmlText`), and for the serializer.

/** The character references the serializers write. */
export const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** A text node's `&`, `<` and `>` escaped. */
export function escapeXmlText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!) : text;
}

/** An attribute value's `&`, `<`, `>`, `"` and whitespace escaped (whitespace survives attribute normalisation). */
export function escapeXmlAttribute(text: string): string {
  return /[&<>"\t\n\r]/.test(text) ? text.replace(/[&<>"\t\n\r]/g, (c) => XML_ESCAPES[c]!) : text;
}
