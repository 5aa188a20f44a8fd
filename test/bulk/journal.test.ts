import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  AlmaDailyLimitError,
  AlmaNetworkError,
  AlmaNotFoundError,
  AlmaOutcomeUnknownError,
  AlmaReadOnlyError,
} from '../../runtime/errors.js';
import { fileJournal, replay, type JournalEntry } from '../../runtime/bulk/journal.js';
import { itemEnd } from '../../runtime/bulk/outcome.js';
import { csvField } from '../../runtime/bulk/report.js';
import { jsonLines } from '../../runtime/bulk/input.js';

const at = '2026-12-07T10:00:00.000Z';
const header = `${JSON.stringify({ 'alma-bulk-journal': 1, run: 'r' })}\n`;
const lines = (...entries: Partial<JournalEntry>[]) =>
  header + entries.map((e) => `${JSON.stringify({ at, ...e })}\n`).join('');

describe('replaying a journal: the last entry of an item decides what a resumed run does with it', () => {
  test.each([
    { given: [{ key: 'a', state: 'done' }], want: 'done' },
    { given: [{ key: 'a', state: 'started' }], want: 'pending' },
    {
      given: [
        { key: 'a', state: 'started' },
        { key: 'a', state: 'sent' },
      ],
      want: 'unknown',
    },
    { given: [{ key: 'a', state: 'sent' }], want: 'unknown' },
    {
      given: [
        { key: 'a', state: 'sent' },
        { key: 'a', state: 'done' },
      ],
      want: 'done',
    },
    {
      given: [
        { key: 'a', state: 'sent' },
        { key: 'a', state: 'requeued' },
      ],
      want: 'pending',
    },
    { given: [{ key: 'a', state: 'failed' }], want: 'failed' },
    {
      given: [
        { key: 'a', state: 'unknown' },
        { key: 'a', state: 'done', reconciled: true },
      ],
      want: 'done',
    },
    {
      given: [
        { key: 'a', state: 'failed' },
        { key: 'a', state: 'sent' },
      ],
      want: 'unknown',
    },
  ] as { given: Partial<JournalEntry>[]; want: string }[])('$given.length entries → $want', ({ given, want }) => {
    expect(replay(lines(...given), 'j', 'r').get('a')?.state).toBe(want);
  });

  test('a damaged line names its line; another run’s journal is refused; a file that is no journal too', () => {
    expect(() =>
      replay(`${header}{"key":"a","state":"done"}\nnot json\n{"key":"b","state":"done"}\n`, 'j', 'r'),
    ).toThrow('the journal j is damaged at line 3 (not JSON)');
    expect(() => replay(header, 'j', 'other')).toThrow('belongs to the run "r", not "other"');
    expect(() => replay('{"x":1}\n', 'j', 'r')).toThrow('j is not a bulk-run journal');
  });
});

describe('the journal file', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'journal-'));

  test('a last line cut short by a crash is dropped, said so, and the next entries follow on a line of their own', async () => {
    const file = path.join(dir(), 'r.journal.jsonl');
    writeFileSync(file, lines({ key: 'a', state: 'done' }));
    appendFileSync(file, '{"key":"b","sta');
    const notices: string[] = [];
    const journal = await fileJournal(file, 'r', { onNotice: (m) => notices.push(m) });
    expect(notices).toEqual(["the journal's last line was cut short by a crash (15 characters): dropped"]);
    expect([...(await journal.load()).keys()]).toEqual(['a']);
    await journal.append({ key: 'c', state: 'done', at });
    await journal.close();
    const text = readFileSync(file, 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).key ?? 'header'),
    ).toEqual(['header', 'a', 'c']);
  });

  test.each(['batch', 'always', 'none'] as const)(
    'sync %s: an entry is in the file when append resolves',
    async (sync) => {
      const file = path.join(dir(), 'r.journal.jsonl');
      const journal = await fileJournal(file, 'r', { sync });
      await Promise.all([
        journal.append({ key: 'a', state: 'sent', at }),
        journal.append({ key: 'b', state: 'sent', at }),
      ]);
      // Read before close: what a kill -9 at this moment would leave.
      expect(replay(readFileSync(file, 'utf8'), file, 'r').size).toBe(2);
      await journal.close();
    },
  );
});

describe('how an item ended, from what its action threw', () => {
  const limit = new AlmaDailyLimitError({
    status: 429,
    errors: [{ code: 'DAILY_THRESHOLD', message: 'm' }],
    operation: 'o',
    method: 'GET',
    url: 'u',
  });
  const lost = new AlmaOutcomeUnknownError(
    new AlmaNetworkError('replaceItem', 'PUT', 'u', 'ECONNRESET', 'socket hang up'),
  );
  const notFound = new AlmaNotFoundError({
    status: 400,
    errors: [{ code: '401690', message: 'no item' }],
    operation: 'o',
    method: 'GET',
    url: 'u',
  });
  test.each([
    { error: limit, writes: { sent: false, made: false }, want: 'paused' },
    { error: limit, writes: { sent: true, made: false }, want: 'paused' },
    { error: limit, writes: { sent: true, made: true }, want: 'unknown' },
    { error: lost, writes: { sent: true, made: false }, want: 'unknown' },
    { error: notFound, writes: { sent: false, made: false }, want: 'failed' },
    { error: new TypeError('x is undefined'), writes: { sent: false, made: false }, want: 'failed' },
  ])('$error.name (writes sent $writes.sent, made $writes.made) → $want', ({ error, writes, want }) => {
    expect(itemEnd(error, writes, false).kind).toBe(want);
  });
  test('a dry run: the refused write is what the item would do', () => {
    expect(itemEnd(new AlmaReadOnlyError('replaceItem', 'PUT'), { sent: false, made: false }, true)).toEqual({
      kind: 'would-write',
      operation: 'replaceItem',
    });
  });
  test('Alma’s code and message are kept for the failures CSV', () => {
    expect(itemEnd(notFound, { sent: false, made: false }, false)).toMatchObject({ kind: 'failed', code: '401690' });
  });
});

describe('inputs and outputs', () => {
  test.each([
    { given: 'plain', want: 'plain' },
    { given: 'a,b', want: '"a,b"' },
    { given: 'say "hi"', want: '"say ""hi"""' },
    { given: 'two\nlines', want: '"two\nlines"' },
  ])('CSV field $given', ({ given, want }) => expect(csvField(given)).toBe(want));

  test('JSON lines: values in order, blank lines skipped, a bad line named by its number', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jsonl-')), 'in.jsonl');
    writeFileSync(file, '{"id":1}\n\n"two"\n3');
    const values: unknown[] = [];
    for await (const value of jsonLines(file)) values.push(value);
    expect(values).toEqual([{ id: 1 }, 'two', 3]);
    writeFileSync(file, '{"id":1}\n{"id":\n');
    await expect(async () => {
      for await (const _ of jsonLines(file)) void _;
    }).rejects.toThrow(`the JSON-lines file ${file} line 2 is not JSON`);
  });
});
