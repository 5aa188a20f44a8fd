import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { xmlToJson } from '../../../runtime/xml/codec.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, XmlSyntaxError } from '../../../runtime/xml/limits.js';

/** Runs `attack`, which must throw `XmlSyntaxError` (or return without the payload), within 50 ms and bounded memory. */
function neutralised(attack: () => unknown): { ms: number; heapMb: number; result: unknown } {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  let result: unknown;
  try {
    result = attack();
  } catch (error) {
    result = error;
  }
  const ms = performance.now() - started;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  expect(ms).toBeLessThan(50);
  expect(heapMb).toBeLessThan(64);
  return { ms, heapMb, result };
}

const secret = path.join(mkdtempSync(path.join(tmpdir(), 'alma-xxe-')), 'secret.txt');
writeFileSync(secret, 'TOP-SECRET-CONTENT');

describe('hostile XML is rejected or neutralised, fast and in bounded memory', () => {
  test('billion laughs', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`;
    const { result } = neutralised(() => xmlToJson(lol));
    expect(result).toBeInstanceOf(XmlSyntaxError);
    expect(String(result)).toMatch(/DOCTYPE declarations are not accepted.*\(line 1, column \d+\)/);
  });

  test('a large internal entity', () => {
    const big = `<!DOCTYPE r [<!ENTITY big "${'x'.repeat(1_000_000)}">]><r>${'&big;'.repeat(100)}</r>`;
    expect(neutralised(() => xmlToJson(big)).result).toBeInstanceOf(XmlSyntaxError);
  });

  test.each([
    ['file', `<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://${secret}">]><r>&xxe;</r>`],
    ['URL', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/steal">]><r>&xxe;</r>'],
    ['parameter entity', `<!DOCTYPE r [<!ENTITY % p SYSTEM "file://${secret}"> %p;]><r/>`],
  ])('XXE by %s: refused, nothing read', (_, xml) => {
    const { result } = neutralised(() => xmlToJson(xml));
    expect(result).toBeInstanceOf(XmlSyntaxError);
    expect(JSON.stringify(result) + String(result)).not.toContain('TOP-SECRET');
  });

  test('an undeclared entity is not expanded', () => {
    const { result } = neutralised(() => xmlToJson('<r>&xxe;</r>'));
    expect(JSON.stringify(result)).not.toContain('TOP-SECRET');
  });

  test.each(['__proto__', 'constructor', 'prototype'])('an element named %s', (name) => {
    const { result } = neutralised(() => xmlToJson(`<r><${name}><isAdmin>true</isAdmin></${name}></r>`));
    expect(result).toBeInstanceOf(XmlSyntaxError);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  test('an attribute named __proto__', () => {
    const { result } = neutralised(() => xmlToJson('<r __proto__="x"><a>1</a></r>'));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    if (!(result instanceof Error)) expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });

  test('a 200,000-deep document', () => {
    const deep = '<a>'.repeat(200_000) + '</a>'.repeat(200_000);
    const { result } = neutralised(() => xmlToJson(deep));
    expect(result).toBeInstanceOf(XmlSyntaxError);
    expect(String(result)).toMatch(/nest deeper than 200 levels/);
  });

  test('a 50 MB document over the size cap', () => {
    const huge = `<r>${'<a>x</a>'.repeat((50 * 1024 * 1024) / 8)}</r>`;
    expect(huge.length).toBeGreaterThan(DEFAULT_MAX_DOCUMENT_BYTES);
    const { result } = neutralised(() => xmlToJson(huge));
    expect(result).toBeInstanceOf(XmlSyntaxError);
    expect(String(result)).toMatch(
      /over the limit of maxDocumentBytes \(33554432 bytes\); pass a larger maxDocumentBytes/,
    );
  });

  test('malformed XML names the line and column', () => {
    const error = (() => {
      try {
        xmlToJson('<user>\n  <primary_id>a</primary>\n</user>');
      } catch (e) {
        return e as XmlSyntaxError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect(error).toMatchObject({ line: 2, column: expect.any(Number) });
    expect(error.message).toMatch(/line 2, column \d+/);
  });
});
