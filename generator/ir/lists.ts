import type { IrType, NamedSchema } from './model.js';
import { singular } from './naming.js';

/**
 * Alma's list convention: a list document `rest_<things>` is `<things total_record_count="N"><thing>…</thing></things>`,
 * in JSON `{ "thing": [...], "total_record_count": N }`, where `thing` is the item document's own element
 * (`rest_item_loans` → `item_loans` of `item_loan`). Every list schema present in the specs follows it (tested).
 */

/** `rest_item_loans` → `rest_item_loan`; `rest_libraries` → `rest_library`; not a plural → `undefined`. */
export function listItemBase(base: string): string | undefined {
  const item = singular(base);
  return item !== base ? item : undefined;
}

/** The type of a list of `item` (a reference to the item's schema), whose element is `itemElement`. */
export function listType(itemElement: string, item: IrType): IrType {
  return {
    kind: 'object',
    properties: [
      {
        name: itemElement,
        required: false,
        description: `The ${itemElement} records of this page.`,
        type: { kind: 'array', items: item },
        xml: { kind: 'element', name: itemElement },
      },
      {
        name: 'total_record_count',
        required: false,
        description: 'The number of records in the whole list (not just this page).',
        type: { kind: 'integer' },
        xml: { kind: 'attribute', name: 'total_record_count' },
      },
    ],
  };
}

/**
 * The key of a list document's entries: from its shape when typed, else (an untyped document whose file is missing)
 * from its name by the convention, `item_loans` → `item_loan`. Not a list: `undefined`.
 */
export function listItemOf(schema: NamedSchema): string | undefined {
  if (!schema.xmlRoot) return undefined;
  if (schema.type.kind === 'object') return listShapeOf(schema)?.key;
  return schema.source === 'untyped' && listItemBase(`rest_${schema.xmlRoot}`) ? singular(schema.xmlRoot) : undefined;
}

/**
 * Whether a schema has the shape of Alma's list convention, and of which item: under its root `<things>`, the
 * repeated `<thing>` elements (`thing: [...]` in JSON) and `total_record_count` as an attribute. Extra fields
 * (`total_sum` and `currency` of fees, `bib_data` of holdings) are allowed.
 */
export function listShapeOf(schema: NamedSchema): { key: string; itemId: string } | undefined {
  if (schema.type.kind !== 'object' || !schema.xmlRoot) return undefined;
  const count = schema.type.properties.find((p) => p.name === 'total_record_count');
  if (count?.xml.kind !== 'attribute' || (count.type.kind !== 'integer' && count.type.kind !== 'number'))
    return undefined;
  const key = singular(schema.xmlRoot);
  const items = schema.type.properties.find((p) => p.name === key);
  if (
    items?.type.kind !== 'array' ||
    items.type.items.kind !== 'ref' ||
    items.xml.kind !== 'element' ||
    items.xml.name !== key ||
    items.xml.wrapper
  )
    return undefined;
  return { key, itemId: items.type.items.id };
}
