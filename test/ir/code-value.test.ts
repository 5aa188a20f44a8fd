import { describe, expect, test } from 'vitest';
import { isCodeValue } from '../../generator/ir/code-value.js';
import type { IrType, Property } from '../../generator/ir/model.js';

const text = (over: Partial<Property> = {}): Property => ({
  name: 'value',
  required: false,
  description: '',
  type: { kind: 'string' },
  xml: { kind: 'text', name: 'value' },
  ...over,
});
const desc = (over: Partial<Property> = {}): Property => ({
  name: 'desc',
  required: false,
  description: '',
  type: { kind: 'string' },
  xml: { kind: 'attribute', name: 'desc' },
  ...over,
});
const object = (...properties: Property[]): IrType => ({ kind: 'object', properties });

describe("Alma's code-table value, named once", () => {
  test.each([
    { name: 'the pair: code as text, description as attribute', given: object(text(), desc()), want: true },
    { name: 'in the other order', given: object(desc(), text()), want: true },
    {
      name: 'a third field',
      given: object(text(), desc(), { ...desc(), name: 'link', xml: { kind: 'attribute', name: 'link' } }),
      want: false,
    },
    {
      name: 'a code from a fixed list (its enum is information)',
      given: object(text({ type: { kind: 'string', enum: ['A', 'B'] } }), desc()),
      want: false,
    },
    { name: 'a required code', given: object(text({ required: true }), desc()), want: false },
    {
      name: 'a field with words of its own',
      given: object(text({ description: 'The user group.' }), desc()),
      want: false,
    },
    {
      name: 'the code as an element, not the text',
      given: object(text({ xml: { kind: 'element', name: 'value' } }), desc()),
      want: false,
    },
    { name: 'not an object', given: { kind: 'string' } as IrType, want: false },
  ])('$name → $want', ({ given, want }) => {
    expect(isCodeValue(given)).toBe(want);
  });
});
