import { describe, expect, test } from 'vitest';
import { briefSearchOf } from '../../generator/ir/brief-search.js';
import { documentedValues } from '../../generator/ir/parameter-values.js';

/** Facts read from the specs' own wording (the descriptions below are the specs', shortened where marked …). */
describe('the brief search a q description documents', () => {
  test.each([
    {
      given:
        'Search query. Optional. Searching for words from: primary_id, first_name, last_name, general_info (keywords from all fields except emails) and ALL (words from all fields but without support for the AND operator). Example (note the tilde between the code and text): q=last_name~Smith (see [Brief Search](https://developers.exlibrisgroup.com/blog/How-we-re-building-APIs-at-Ex-Libris#BriefSearch))',
      want: {
        fields: ['primary_id', 'first_name', 'last_name', 'general_info', 'ALL'],
        operators: ['~'],
        andOnly: false,
        alone: ['ALL'],
        notes: [],
      },
    },
    {
      given:
        'Search query. Optional.  Available search options: amount, po_line, invoice_number, borrowing_request_id. For example: q=amount=25 (see [Brief Search](https://x#BriefSearch))',
      want: {
        fields: ['amount', 'po_line', 'invoice_number', 'borrowing_request_id'],
        operators: ['~', '='],
        andOnly: false,
        alone: [],
        notes: [],
      },
    },
    {
      given:
        'Search query. Optional.  Does not work with levels parameter. Searching for text in library, collection name, external system or external ID. Multiple search terms may be combined with AND only.  For example q=external_system~x%20AND%20external_id~y.',
      want: {
        fields: ['library', 'external_system', 'external_id'],
        operators: ['~'],
        andOnly: true,
        alone: [],
        notes: [],
      },
    },
    {
      given:
        'Search query. Optional. Searched fields: invoice_number, vendor_code, all. Note that some combinations of search fields cannot be used together. (see [Brief Search](https://x))',
      want: {
        fields: ['invoice_number', 'vendor_code', 'all'],
        operators: ['~'],
        andOnly: false,
        alone: [],
        notes: ['Note that some combinations of search fields cannot be used together.'],
      },
    },
    {
      given:
        'Search query. Optional. Searching for words from: title, author & all (for searching in all the above fields). It is also possible to search on fields from the related items (relevant for libraries …): enumeration_a/b/c, item_description and item_library. Example: q=author~Mark',
      want: {
        fields: [
          'title',
          'author',
          'all',
          'enumeration_a',
          'enumeration_b',
          'enumeration_c',
          'item_description',
          'item_library',
        ],
        operators: ['~'],
        andOnly: false,
        alone: [],
        notes: [],
      },
    },
    {
      given:
        'Search query. Optional. Searching for words in created_by or name (see [Brief Search](https://x#BriefSearch))',
      want: { fields: ['created_by', 'name'], operators: ['~'], andOnly: false, alone: [], notes: [] },
    },
    { given: 'Search query.', want: undefined },
  ])('$given', ({ given, want }) => {
    const found = briefSearchOf(given);
    expect(
      found && {
        fields: found.fields,
        operators: found.operators,
        andOnly: found.andOnly,
        alone: found.alone,
        notes: found.notes,
      },
    ).toEqual(want);
  });
});

describe('the values a parameter description enumerates', () => {
  const param = (wireName: string, description: string) => ({ wireName, description, type: 'string' as const });
  test.each([
    {
      given: param(
        'view',
        "Special view of User object. Optional. Possible values: full - full User object will be returned. brief - only user's core information.",
      ),
      want: ['full', 'brief'],
      multiple: false,
    },
    {
      given: param(
        'expand',
        'This parameter allows for expanding on some user information. Three options are available: loans-Include the total number of loans; requests-Include the total number of requests; fees-Include the balance of fees. To have more than one, use a comma separator.',
      ),
      want: ['loans', 'requests', 'fees'],
      multiple: true,
    },
    {
      given: param(
        'expand',
        'This parameter allows for expanding the bibliographic record with additional information:\n\n p_avail - Expand physical inventory information.\n\n e_avail - Expand electronic inventory information.\n\n To use more than one, use a comma separator.',
      ),
      want: ['p_avail', 'e_avail'],
      multiple: true,
    },
    {
      given: param('status', 'Filter by status: ACTIVE/INACTIVE. All by default.'),
      want: ['ACTIVE', 'INACTIVE'],
      multiple: false,
    },
    {
      given: param('direction', 'The sort direction of desc (default) or asc.'),
      want: ['desc', 'asc'],
      multiple: false,
    },
    {
      given: param(
        'op',
        "The operation to perform on the invoice. Currently, the options are 'mark_in_erp', 'paid', 'process_invoice' or 'rejected'",
      ),
      want: ['mark_in_erp', 'paid', 'process_invoice', 'rejected'],
      multiple: false,
    },
    {
      given: param(
        'status',
        'Return fees of this status only. Optional. The values that can be used are {ACTIVE|INDISPUTE|EXPORTED|CLOSED}.',
      ),
      want: ['ACTIVE', 'INDISPUTE', 'EXPORTED', 'CLOSED'],
      multiple: false,
    },
    {
      given: param(
        'view',
        'Use view=brief to retrieve without the full record. Use view=local_fields to retrieve only local fields.',
      ),
      want: ['brief', 'local_fields'],
      multiple: false,
    },
    // Sent to a code table, a path, a number: nothing is made up.
    {
      given: param('type', 'Type for filtering. Optional. Valid values are from the ReminderTypes code table'),
      want: undefined,
      multiple: false,
    },
    { given: param('token', 'A resumption token generated by a /reports response.'), want: undefined, multiple: false },
    {
      given: param('line_type', 'Line Type as appears in /jobs/{job_id}/instances/{instance_id} api result'),
      want: undefined,
      multiple: false,
    },
    {
      given: {
        ...param('period', 'The number of days/weeks/months to retrieve availability for.'),
        type: 'integer' as const,
      },
      want: undefined,
      multiple: false,
    },
  ])('$given.wireName: $given.description', ({ given, want, multiple }) => {
    const found = documentedValues(given);
    expect(found?.values).toEqual(want);
    if (found) expect(found.multiple).toBe(multiple);
  });
});
