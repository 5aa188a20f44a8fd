/**
 * How a JSON shape maps onto Alma's XML: generated from the schemas, read by the codec. One `XmlType` per object
 * type; properties in schema order, which is the element order written.
 */
export interface XmlType {
  /** The document element name, for types that can be a document (e.g. `user`). */
  readonly root?: string;
  /** The default namespace of such a document (`web_service_result` has one). */
  readonly namespace?: string;
  readonly props: readonly XmlProp[];
}

/**
 * Alma's code-table value in XML, `<user_group desc="Staff">STAFF</user_group>`: the code as the element's text,
 * its description as the `desc` attribute (JSON `{ "value": "STAFF", "desc": "Staff" }`), sometimes a `link`.
 * Hundreds of fields share it.
 */
export const CodeValueXml: XmlType = {
  props: [
    { key: 'value', kind: 'text' },
    { key: 'desc', kind: 'attribute' },
    { key: 'link', kind: 'attribute' },
  ],
};

export interface XmlProp {
  /** The JSON key. */
  readonly key: string;
  /**
   * `element` (the default), `attribute`, `text` (the element's own text, JSON `value`), `any` (foreign XML as
   * strings: `anies`).
   */
  readonly kind?: 'element' | 'attribute' | 'text' | 'any';
  /** The XML name, when it differs from the key. */
  readonly name?: string;
  /**
   * The list's wrapper element: `<user_identifiers><user_identifier/>…</user_identifiers>` is
   * `user_identifier: [...]`.
   */
  readonly wrapper?: string;
  /** A repeated element: a JSON array. */
  readonly list?: true;
  /** Text that JSON carries as a number or a boolean; everything else is a string. */
  readonly scalar?: 'number' | 'boolean';
  /** The element's type when it has attributes or children; a function where types refer to each other. */
  readonly type?: XmlType | (() => XmlType);
}
