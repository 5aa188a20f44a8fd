import type { IrType } from './model.js';

/**
 * Alma's code-table value, everywhere a field takes a code (a user group, a status, a library): the code as the
 * element's text and its description as the `desc` attribute, `{ "value": "STAFF", "desc": "Staff" }` in JSON. A
 * schema that spells it out inline (hundreds do) is this pair and nothing more: both optional free strings, with no
 * words of their own. The emitter names it `CodeValue` (a runtime type) instead of writing the shape every time.
 */
export function isCodeValue(type: IrType): boolean {
  if (type.kind !== 'object' || type.properties.length !== 2) return false;
  const value = type.properties.find((p) => p.name === 'value');
  const desc = type.properties.find((p) => p.name === 'desc');
  return (
    value?.xml.kind === 'text' &&
    desc?.xml.kind === 'attribute' &&
    desc.xml.name === 'desc' &&
    [value, desc].every(
      (p) =>
        !p.required && !p.description && p.type.kind === 'string' && !p.type.enum && !p.type.pattern && !p.type.format,
    )
  );
}

/** The pair itself, for facts that add a code-table field (`ir/observed.ts`): what `isCodeValue` recognises. */
export const CODE_VALUE_TYPE: IrType = {
  kind: 'object',
  properties: [
    {
      name: 'value',
      required: false,
      description: '',
      type: { kind: 'string' },
      xml: { kind: 'text', name: 'xml_value' },
    },
    {
      name: 'desc',
      required: false,
      description: '',
      type: { kind: 'string' },
      xml: { kind: 'attribute', name: 'desc' },
    },
  ],
};
