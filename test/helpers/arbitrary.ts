import fc from 'fast-check';
import type { JsonObject } from '../../runtime/xml/codec.js';
import type { XmlProp, XmlType } from '../../runtime/xml/schema.js';

const resolve = (type: XmlProp['type']): XmlType | undefined => (typeof type === 'function' ? type() : type);

/** Text that survives XML: no control characters, no CR (XML normalises line ends), entities and non-ASCII included. */
export const xmlText = (minLength = 0) =>
  fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.,:;/#&<>"\'\té日\n]'.split('')), minLength, maxLength: 12 });

const number = fc
  .oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  )
  .filter((n) => !Object.is(n, -0));

function scalarOf(prop: XmlProp, minLength = 0): fc.Arbitrary<unknown> {
  if (prop.scalar === 'number') return number;
  if (prop.scalar === 'boolean') return fc.boolean();
  return xmlText(minLength);
}

const UNKNOWN = fc.constantFrom('x_new_field', 'x_future', 'x_extra_note');

/**
 * Documents of an XML mapping, as Alma's JSON: every property optional, lists of one to three (wrapped lists may be
 * empty), nesting cut at `depth`, and with `unknown`, keys the schema does not know (new Ex Libris fields).
 */
export function documentOf(
  type: XmlType,
  options: { depth?: number; unknown?: boolean; xsdValid?: boolean } = {},
): fc.Arbitrary<JsonObject> {
  const depth = options.depth ?? 3;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const hasText = type.props.some((p) => p.kind === 'text');
  const onlyForeign = type.props.every((p) => p.kind === 'any');
  for (const prop of type.props) {
    const kind = prop.kind ?? 'element';
    if (kind === 'attribute') model[prop.key] = scalarOf(prop);
    else if (kind === 'text') model[prop.key] = scalarOf(prop, 1);
    else if (kind === 'any')
      model[prop.key] = fc.array(
        fc.constantFrom(
          '<record><leader>00783cam a2200241 a 4500</leader><datafield ind1=" " ind2="0" tag="245"><subfield code="a">A &amp; B</subfield></datafield></record>',
        ),
        { minLength: 1, maxLength: 1 },
      );
    else {
      const nested = resolve(prop.type);
      if (nested && depth <= 0) continue;
      const item = nested ? documentOf(nested, { ...options, depth: depth - 1 }) : scalarOf(prop);
      if (prop.wrapper !== undefined) model[prop.key] = fc.array(item, { minLength: 0, maxLength: 3 });
      else if (prop.list) model[prop.key] = fc.array(item, { minLength: 1, maxLength: 3 });
      else model[prop.key] = item;
    }
  }
  const known = fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<JsonObject>;
  // Beside text, a new element would make mixed content; in a type of foreign content alone, it would be foreign.
  if (!options.unknown || hasText || onlyForeign) return known;
  return fc
    .tuple(known, fc.dictionary(UNKNOWN, xmlText(1), { maxKeys: 2 }))
    .map(([doc, extra]) => ({ ...doc, ...extra }));
}
