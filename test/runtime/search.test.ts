import { describe, expect, test } from 'vitest';
import { AlmaQueryError, renderSearch, type SearchSpec } from '../../runtime/search.js';

const users: SearchSpec = {
  param: 'q',
  fields: ['primary_id', 'first_name', 'last_name', 'ALL'],
  operators: ['~'],
  alone: ['ALL'],
};
const transactions: SearchSpec = { param: 'q', fields: ['amount', 'po_line'], operators: ['~', '='] };
const collections: SearchSpec = {
  param: 'q',
  fields: ['external_system', 'external_id'],
  operators: ['~'],
  andOnly: true,
};

describe('rendering a structured brief search as Alma reads it', () => {
  test.each([
    { spec: users, given: { last_name: 'Smith' }, want: 'last_name~Smith' },
    {
      spec: users,
      given: { last_name: 'Smith', first_name: { startsWith: 'J' } },
      want: 'last_name~Smith AND first_name~J*',
    },
    { spec: users, given: { last_name: 'van der  Berg' }, want: 'last_name~van_der_Berg' },
    { spec: users, given: { last_name: { contains: ' Smi*th ' } }, want: 'last_name~Smi*th' },
    {
      spec: users,
      given: { anyOf: [{ last_name: 'Smith' }, { last_name: 'Smyth' }] },
      want: 'last_name~Smith OR last_name~Smyth',
    },
    { spec: users, given: { ALL: 'gold' }, want: 'ALL~gold' },
    { spec: users, given: { last_name: 'Smith', first_name: undefined }, want: 'last_name~Smith' },
    { spec: transactions, given: { amount: { equals: '25' } }, want: 'amount=25' },
    {
      spec: collections,
      given: { external_system: 'x', external_id: 'y' },
      want: 'external_system~x AND external_id~y',
    },
    { spec: users, given: 'primary_id~abc AND anything~goes', want: 'primary_id~abc AND anything~goes' },
  ])('$given → $want', ({ spec, given, want }) => {
    expect(renderSearch('listX', spec, given)).toBe(want);
  });

  test.each([
    {
      spec: users,
      given: { nickname: 'Bob' },
      error:
        'listX: "nickname" is not a field this operation searches (its fields: primary_id, first_name, last_name, ALL)',
    },
    { spec: users, given: {}, error: 'listX: the query names no field' },
    { spec: users, given: { last_name: '  ' }, error: 'listX: last_name: the value is empty' },
    { spec: users, given: { ALL: 'gold', last_name: 'Smith' }, error: 'listX: ALL takes no AND with another field' },
    { spec: users, given: { last_name: { equals: 'Smith' } }, error: 'documents no "=" (exact) match' },
    { spec: users, given: { anyOf: [] }, error: "the query's anyOf is empty" },
    {
      spec: collections,
      given: { anyOf: [{ external_id: 'a' }, { external_id: 'b' }] },
      error: 'this search takes AND only',
    },
  ])('refused before sending: $error', ({ spec, given, error }) => {
    expect(() => renderSearch('listX', spec, given)).toThrow(AlmaQueryError);
    expect(() => renderSearch('listX', spec, given)).toThrow(error);
  });
});
