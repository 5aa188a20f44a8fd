import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from '../helpers/specs.js';
import { typeErrors } from '../helpers/type-errors.js';

/** What `createClient` accepts, as the TypeScript compiler sees it (strict). */
function compile(body: string): string[] {
  return typeErrors(
    path.join(REPO, 'test/runtime/__client-types.ts'),
    `import { createClient } from '../../runtime/client.js';\n${body}\n`,
  );
}

describe('createClient names its Alma, at compile time', () => {
  test('an API key alone is a type error: no default Alma', () => {
    expect(compile("createClient({ apiKey: 'k' });").join('\n')).toMatch(/baseUrl|region/);
  });

  test.each([
    "createClient({ apiKey: 'k', region: 'eu' });",
    "createClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:8079' });",
    "createClient({ apiKey: { users: 'u', bibs: { key: 'b', readOnly: true, label: 'bibs' }, default: 'd' }, region: 'na' });",
    "createClient({ apiKey: () => 'k', region: 'ap', environment: 'sandbox' });",
  ])('%s compiles', (code) => {
    expect(compile(code)).toEqual([]);
  });

  test('an unknown region is a type error', () => {
    expect(compile("createClient({ apiKey: 'k', region: 'mars' });").join('\n')).toMatch(/mars/);
  });
});
