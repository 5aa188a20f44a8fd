import { describe, expect, test } from 'vitest';
import { PrintedStatements } from '../../generator/emit/printed.js';
import { printStatements, StructureKind, type StatementStructures } from '../../generator/emit/ts-morph.js';

const fn = (name: string, doc: string): StatementStructures => ({
  kind: StructureKind.Function,
  name,
  isExported: true,
  docs: [{ description: doc }],
  parameters: [{ name: 'client', type: 'AlmaClient' }],
  returnType: 'Promise<void>',
  statements: ['return client.request(op);'],
});
const statements = (doc: string) => [
  "export const getUserOperation = { name: 'getUser' } as const;",
  fn('getUser', doc),
  fn('listUsers', 'Lists users.'),
];

describe('statements printed by structure, reused from the last generation', () => {
  test('a first printing is ts-morph’s printing of them all, and is kept statement by statement', () => {
    const printed = new PrintedStatements(undefined, 'code');
    expect(printed.print(statements('Gets a user.'))).toBe(printStatements(statements('Gets a user.')));
    expect(Object.keys(JSON.parse(printed.toJson()))).toHaveLength(3);
  });

  test('the next printing takes unchanged statements from the cache and prints the changed one', () => {
    const first = new PrintedStatements(undefined, 'code');
    first.print(statements('Gets a user.'));
    // Marked in the cache: an unchanged statement shows the mark, so it was taken from there, not printed again.
    const cache = JSON.parse(first.toJson()) as Record<string, string>;
    for (const key of Object.keys(cache)) cache[key] = cache[key]!.replace('Lists users.', 'Lists users (cached).');
    const next = new PrintedStatements(JSON.stringify(cache), 'code');
    const text = next.print(statements('Gets one user.'));
    expect(text).toContain('Lists users (cached).');
    expect(text.replace(' (cached)', '')).toBe(printStatements(statements('Gets one user.')));
    expect(Object.keys(JSON.parse(next.toJson()))).toHaveLength(3);
  });

  test('other generator code prints everything again', () => {
    const first = new PrintedStatements(undefined, 'code');
    first.print(statements('Gets a user.'));
    const cache = JSON.stringify(
      Object.fromEntries(Object.keys(JSON.parse(first.toJson())).map((key) => [key, 'stale'])),
    );
    expect(new PrintedStatements(cache, 'other code').print(statements('Gets a user.'))).not.toContain('stale');
  });
});
