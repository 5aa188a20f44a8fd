import { describe, expect, test } from 'vitest';
import { isAssignable } from '../../generator/ir/assignable.js';
import type { ApiModel, IrType, Property } from '../../generator/ir/model.js';

const prop = (name: string, type: IrType, required = false): Property => ({
  name,
  type,
  required,
  description: '',
  xml: { kind: 'element', name },
});
const object = (...properties: Property[]): IrType => ({ kind: 'object', properties });
const ref = (id: string): IrType => ({ kind: 'ref', id });
const str: IrType = { kind: 'string' };

/** Only `schemas[id].type` is read. */
const model = {
  schemas: {
    set: { type: object(prop('id', str), prop('name', str, true), prop('type', object(prop('value', str)))) },
    setPut: { type: object(prop('name', str, true), prop('type', object(prop('value', str)))) },
    setPutStrict: { type: object(prop('name', str, true), prop('owner', str, true)) },
    node: { type: object(prop('child', ref('node'))) },
  },
} as unknown as ApiModel;

describe('isAssignable: can the record a GET returns be PUT back as it is?', () => {
  test.each<[string, IrType, IrType, boolean]>([
    ['the same schema', ref('set'), ref('set'), true],
    ['a GET record into a PUT schema with fewer fields', ref('set'), ref('setPut'), true],
    ['a PUT schema that requires a field the GET lacks', ref('set'), ref('setPutStrict'), false],
    [
      'a required field that the GET has only optionally',
      object(prop('name', str)),
      object(prop('name', str, true)),
      false,
    ],
    ['a record into an untyped document', ref('set'), { kind: 'document' }, true],
    ['a string into an untyped document', str, { kind: 'document' }, false],
    ['anything into a value of unknown type', str, { kind: 'unknown' }, true],
    ['an untyped document into a typed record', { kind: 'document' }, ref('set'), false],
    ['an integer into a number', { kind: 'integer' }, { kind: 'number' }, true],
    ['a string into an enumeration', str, { kind: 'string', enum: ['A'] }, false],
    [
      'a narrower enumeration into a wider one',
      { kind: 'string', enum: ['A'] },
      { kind: 'string', enum: ['A', 'B'] },
      true,
    ],
    ['arrays by their items', { kind: 'array', items: str }, { kind: 'array', items: { kind: 'boolean' } }, false],
    ['a recursive schema into itself, through an object', object(prop('child', ref('node'))), ref('node'), true],
  ])('%s', (_, from, to, want) => {
    expect(isAssignable(from, to, model)).toBe(want);
  });
});
