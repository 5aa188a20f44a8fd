import { describe, expect, test } from 'vitest';
import { coerceDefault, harvestErrorCodes } from '../../generator/ir/read/openapi.js';
import type { ScalarType } from '../../generator/ir/model.js';

describe('harvestErrorCodes', () => {
  const cases: [given: string, want: ReturnType<typeof harvestErrorCodes>][] = [
    ['Bad Request', []],
    [
      "Bad Request\n\n401861 - 'User with identifier X was not found.'\n\n60101 - 'General Error: An error has occurred while processing the request.'",
      [
        { code: '401861', message: 'User with identifier X was not found.', kind: 'not-found' },
        {
          code: '60101',
          message: 'General Error: An error has occurred while processing the request.',
          kind: 'other',
        },
      ],
    ],
    [
      "402222/402223 - 'Execution threshold reached.'",
      [
        { code: '402222', message: 'Execution threshold reached.', kind: 'limit' },
        { code: '402223', message: 'Execution threshold reached.', kind: 'limit' },
      ],
    ],
    ["GENERAL_ERROR - 'A general error.'", [{ code: 'GENERAL_ERROR', message: 'A general error.', kind: 'other' }]],
    [
      "401652 - 'Item does not exist.'\n401652 - 'duplicate line'",
      [{ code: '401652', message: 'Item does not exist.', kind: 'not-found' }],
    ],
    ["60107 - 'Invalid set ID.'", [{ code: '60107', message: 'Invalid set ID.', kind: 'not-found' }]],
    [
      "402204 - 'Input parameters mmsId X is not numeric.'",
      [{ code: '402204', message: 'Input parameters mmsId X is not numeric.', kind: 'invalid' }],
    ],
    [
      "401851 - 'User with identifier X already exists.'",
      [{ code: '401851', message: 'User with identifier X already exists.', kind: 'duplicate' }],
    ],
  ];
  test.each(cases)('%j', (given, want) => expect(harvestErrorCodes(given)).toEqual(want));
});

describe('coerceDefault', () => {
  const cases: [value: unknown, type: ScalarType, want: unknown][] = [
    ['10', 'integer', 10],
    ['0', 'integer', 0],
    ['1000000', 'integer', 1000000],
    ['', 'integer', undefined],
    ['abc', 'integer', undefined],
    ['1.5', 'integer', undefined],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['yes', 'boolean', undefined],
    ['full', 'string', 'full'],
    ['', 'string', undefined],
    [undefined, 'integer', undefined],
    [25, 'integer', 25],
  ];
  test.each(cases)('%j as %s → %j', (value, type, want) => expect(coerceDefault(value, type)).toBe(want));
});
