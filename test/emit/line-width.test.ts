import { describe, expect, test } from 'vitest';
import { fitToWidth } from '../../generator/emit/line-width.js';

describe('fitToWidth: long generated lines broken as the formatter breaks them', () => {
  test.each([
    {
      name: 'a signature: one parameter per line',
      given:
        'export function listThingAttachments(client: AlmaClient, params: ListThingAttachmentsParams = {}, options?: CallOptions): Promise<Things> {',
      want: [
        'export function listThingAttachments(',
        '  client: AlmaClient,',
        '  params: ListThingAttachmentsParams = {},',
        '  options?: CallOptions,',
        '): Promise<Things> {',
      ],
    },
    {
      name: 'an array in an object member, strings with brackets and commas kept whole',
      given:
        "  errorCodes: ['401, (a)', '401852', '401853', '401854', '401855', '500038', '401857', '401658', '401863', '401864', '401865'],",
      want: [
        '  errorCodes: [',
        "    '401, (a)',",
        "    '401852',",
        "    '401853',",
        "    '401854',",
        "    '401855',",
        "    '500038',",
        "    '401857',",
        "    '401658',",
        "    '401863',",
        "    '401864',",
        "    '401865',",
        '  ],',
      ],
    },
    {
      name: 'an object literal whose arrow function is no bracket',
      given:
        "    { key: 'researcher_organization_affiliation', wrapper: 'researcher_organization_affiliations', list: true, type: () => AffiliationXml },",
      want: [
        '    {',
        "      key: 'researcher_organization_affiliation',",
        "      wrapper: 'researcher_organization_affiliations',",
        '      list: true,',
        '      type: () => AffiliationXml,',
        '    },',
      ],
    },
    {
      name: 'a union in type arguments: one member per line, no trailing comma',
      given:
        "  phone_type?: Array<'order_phone' | 'claim_phone' | 'payment_phone' | 'returns_phone' | 'order_fax' | 'claim_fax'> | null;",
      want: [
        '  phone_type?: Array<',
        "    | 'order_phone'",
        "    | 'claim_phone'",
        "    | 'payment_phone'",
        "    | 'returns_phone'",
        "    | 'order_fax'",
        "    | 'claim_fax'",
        '  > | null;',
      ],
    },
    {
      name: 'broken again where an item is still too long',
      given: `  'A message': [${Array.from({ length: 3 }, (_, i) => `{ a: 'x${i}', b: '${'y'.repeat(60)}', c: '${'z'.repeat(40)}' }`).join(', ')}],`,
      want: [
        "  'A message': [",
        ...[0, 1, 2].flatMap((i) => [
          '    {',
          `      a: 'x${i}',`,
          `      b: '${'y'.repeat(60)}',`,
          `      c: '${'z'.repeat(40)}',`,
          '    },',
        ]),
        '  ],',
      ],
    },
    {
      name: 'a property whose type is a union outside brackets: one member a line',
      given:
        "      researcher_previous_organization_affiliation?: components['schemas']['ir__ResearcherOrganizationAffiliation'][] | null;",
      want: [
        '      researcher_previous_organization_affiliation?:',
        "        | components['schemas']['ir__ResearcherOrganizationAffiliation'][]",
        '        | null;',
      ],
    },
    {
      name: 'a property of one long type stays',
      given: `    rest_user_resource_sharing_request: components['schemas']['${'x'.repeat(80)}'];`,
      want: [`    rest_user_resource_sharing_request: components['schemas']['${'x'.repeat(80)}'];`],
    },
    {
      name: 'a comment stays',
      given: ` * @see {@link https://developers.exlibrisgroup.com/${'x'.repeat(90)} | Retrieve (a, b)}`,
      want: [` * @see {@link https://developers.exlibrisgroup.com/${'x'.repeat(90)} | Retrieve (a, b)}`],
    },
    {
      name: 'one long string stays',
      given: `    '${'m'.repeat(130)}': ['createSet'],`,
      want: [`    '${'m'.repeat(130)}': ['createSet'],`],
    },
    {
      name: 'a line within the width stays',
      given: 'export function f(a: A, b: B): void {',
      want: ['export function f(a: A, b: B): void {'],
    },
  ])('$name', ({ given, want }) => {
    expect(fitToWidth(given).split('\n')).toEqual(want);
  });

  test('every line made is within the width or is one it cannot break', () => {
    const given = `export const x = { ${Array.from({ length: 40 }, (_, i) => `k${i}: [${'1, '.repeat(i)}0]`).join(', ')} };`;
    const lines = fitToWidth(given).split('\n');
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.filter((l) => l.length > 120)).toEqual([]);
  });
});
