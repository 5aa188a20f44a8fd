import { describe, expect, test } from 'vitest';
import { cleanDoc, docComment, wrapDoc } from '../../generator/emit/docs.js';

describe('doc comments wrapped at the line width', () => {
  test.each([
    { name: 'a short line stays', given: ['Retrieve a user.'], width: 20, want: ['Retrieve a user.'] },
    {
      name: 'a paragraph breaks between words',
      given: ['one two three four five six'],
      width: 10,
      want: ['one two', 'three four', 'five six'],
    },
    {
      name: 'a list item continues under its text',
      given: ['- one two three four'],
      width: 10,
      want: ['- one two', '  three', '  four'],
    },
    {
      name: 'a tag continues under its description',
      given: ['@param id - the user id here'],
      width: 20,
      want: ['@param id - the user', '            id here'],
    },
    {
      name: 'a tag keeps a word longer than the line',
      given: ['@see {@link https://example.org/a/very/long/path | a page}'],
      width: 20,
      want: ['@see {@link https://example.org/a/very/long/path | a page}'],
    },
    {
      name: 'an inline tag is never split',
      given: ['see {@link getUser} now'],
      width: 12,
      want: ['see', '{@link getUser}', 'now'],
    },
    {
      name: 'fenced code is left as it is',
      given: ['```', 'const a = 1; const b = 2;', '```'],
      width: 10,
      want: ['```', 'const a = 1; const b = 2;', '```'],
    },
    { name: 'a table row is left as it is', given: ['| a | b | c | d |'], width: 5, want: ['| a | b | c | d |'] },
  ])('$name', ({ given, width, want }) => {
    expect(wrapDoc(given, width)).toEqual(want);
  });

  test('no line of a comment goes past 120 characters when its words allow it', () => {
    const text = `${'word '.repeat(60)}\n\n@returns ${'more '.repeat(40)}`;
    for (const indent of ['', '  ', '      ']) {
      const lines = docComment(text, indent).trimEnd().split('\n');
      expect(lines.every((l) => l.length <= 120)).toBe(true);
      expect(lines.length).toBeGreaterThan(4);
    }
    expect(docComment('x'.repeat(200), '')).toBe(`/**\n * ${'x'.repeat(200)}\n */\n`);
  });
});

describe('spec prose made JSDoc', () => {
  test.each([
    {
      name: 'a Confluence link becomes a Markdown link',
      given: 'See the [code table|https://developers.exlibrisgroup.com/blog/Working-with-the-code-tables-API].',
      want: ['See the [code table](https://developers.exlibrisgroup.com/blog/Working-with-the-code-tables-API).'],
    },
    {
      name: 'a Markdown link stays',
      given: 'See [here](https://example.org/a).',
      want: ['See [here](https://example.org/a).'],
    },
    {
      name: 'a dangling channel label goes',
      given: 'Researcher information.\n\t\tSIS, API:\n',
      want: ['Researcher information.'],
    },
    {
      name: 'a lead-in with words after it stays',
      given: 'Possible values are:\nA, B',
      want: ['Possible values are:', 'A, B'],
    },
    { name: 'a pipe without a link stays', given: '[a|b] or x|y', want: ['[a|b] or x|y'] },
  ])('$name', ({ given, want }) => {
    expect(cleanDoc(given)).toEqual(want);
  });
});
