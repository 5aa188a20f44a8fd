import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../generator/config.js';
import { GeneratorError } from '../../generator/errors.js';
import { buildModel } from '../../generator/ir/build.js';
import { DocumentStore, EXL_OPENAPI_BASE } from '../../generator/load/documents.js';
import { jsonErrorOffset } from '../../generator/load/json-position.js';
import { getReturning, miniSpec, writeTree } from '../helpers/specs.js';

function build(files: Record<string, unknown>, overrides: Record<string, string> = {}, area = 'test') {
  const dir = writeTree(files);
  return () =>
    buildModel(
      {
        file: path.join(dir, 'alma-codegen.yaml'),
        areas: [{ name: area, url: 'https://example.org' }],
        nameOverrides: overrides,
      },
      new DocumentStore(dir),
    );
}

function caught(run: () => unknown): GeneratorError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GeneratorError);
    return error as GeneratorError;
  }
  throw new Error('expected a GeneratorError');
}

const schemaRef = { $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing.json#/rest_thing` };

describe('bad specs give an error naming the file, the location and the fix', () => {
  const cases: {
    name: string;
    files: Record<string, unknown>;
    overrides?: Record<string, string>;
    file: string;
    location: RegExp;
    problem: RegExp;
    fix: RegExp;
  }[] = [
    {
      name: 'schemas that only alias each other (A → B → A)',
      files: {
        'test.json': miniSpec({ '/almaws/v1/things': getReturning(schemaRef) }),
        'schemas/rest_thing.json': {
          rest_thing: { $ref: '#/rest_a', description: 'the alias entry' },
          rest_a: { $ref: '#/rest_b' },
          rest_b: { $ref: '#/rest_a' },
        },
      },
      file: 'rest_thing.json',
      location: /^\/rest_b$/,
      problem: /the schemas #\/rest_b → #\/rest_a → #\/rest_b only refer to each other/,
      fix: /remove the cycle/,
    },
    {
      name: 'malformed JSON',
      files: { 'test.json': '{\n  "openapi": "3.0.1",\n  "paths": {,\n}' },
      file: 'test.json',
      location: /^line 3, column \d+$/,
      problem: /malformed JSON/,
      fix: /fix the syntax/,
    },
    {
      name: 'malformed YAML',
      files: { 'test.yaml': 'openapi: 3.0.1\npaths:\n  /a: [unclosed\n' },
      file: 'test.yaml',
      location: /^line \d+, column \d+$/,
      problem: /malformed YAML/,
      fix: /fix the syntax/,
    },
    {
      name: 'a dangling $ref inside a schema file',
      files: {
        'test.json': miniSpec({ '/almaws/v1/things': getReturning(schemaRef) }),
        'schemas/rest_thing.json': {
          rest_thing: { $ref: '#/thing' },
          thing: { type: 'object', properties: { part: { $ref: '#/nowhere' } } },
        },
      },
      file: 'rest_thing.json',
      location: /^\/thing\/properties\/part\/\$ref$/,
      problem: /dangling \$ref: rest_thing\.json has nothing at #\/nowhere/,
      fix: /existing definition/,
    },
    {
      name: 'an unsupported OpenAPI version',
      files: { 'test.json': { swagger: '2.0', info: {}, paths: {} } },
      file: 'test.json',
      location: /^\/swagger$/,
      problem: /unsupported OpenAPI version "2\.0"/,
      fix: /OpenAPI 3/,
    },
    {
      name: 'an unsupported schema construct',
      files: {
        'test.json': miniSpec({ '/almaws/v1/things': getReturning(schemaRef) }),
        'schemas/rest_thing.json': {
          rest_thing: { $ref: '#/thing' },
          thing: { type: 'object', properties: { kind: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } },
        },
      },
      file: 'rest_thing.json',
      location: /^\/thing\/properties\/kind\/oneOf$/,
      problem: /unsupported schema construct "oneOf"/,
      fix: /type, properties, items/,
    },
    {
      name: 'two operations mapping to one name',
      files: {
        'test.json': miniSpec({
          '/almaws/v1/things': getReturning({ type: 'object' }),
          '/almaws/v1/things/': getReturning({ type: 'object' }),
        }),
      },
      file: 'test.json',
      location: /^\/paths\/~1almaws~1v1~1things~1\/get$/,
      problem:
        /"GET \/almaws\/v1\/things" \(test\) and "GET \/almaws\/v1\/things\/" \(test\) both get the export name listThings/,
      fix: /naming:\n\s+overrides:\n\s+"GET \/almaws\/v1\/things\/": listThingsOfTest/,
    },
    {
      name: 'two operations with one operationId',
      files: {
        'test.json': miniSpec({
          '/almaws/v1/things': getReturning({ type: 'object' }, { operationId: 'getThings' }),
          '/almaws/v1/stuff': getReturning({ type: 'object' }, { operationId: 'getThings' }),
        }),
      },
      file: 'test.json',
      location: /^\/paths\/~1almaws~1v1~1stuff\/get\/operationId$/,
      problem: /operationId "getThings" is also the one of "GET \/almaws\/v1\/things" \(test\)/,
      fix: /another operationId/,
    },
    {
      name: 'a path template without its parameter',
      files: { 'test.json': miniSpec({ '/almaws/v1/things/{id}': getReturning({ type: 'object' }) }) },
      file: 'test.json',
      location: /^\/paths\/~1almaws~1v1~1things~1\{id\}\/get\/parameters$/,
      problem: /path template \{id\} has no path parameter/,
      fix: /declare a parameter/,
    },
    {
      name: 'an override for an operation that does not exist',
      files: { 'test.json': miniSpec({ '/almaws/v1/things': getReturning({ type: 'object' }) }) },
      overrides: { 'GET /almaws/v1/nothing': 'getNothing' },
      file: 'alma-codegen.yaml',
      location: /naming\.overrides/,
      problem: /no operation "GET \/almaws\/v1\/nothing"/,
      fix: /correct the method and path/,
    },
    {
      name: 'a missing area spec',
      files: {},
      file: 'test.json',
      location: /^$/,
      problem: /the spec of area "test" is missing/,
      fix: /alma-codegen sync/,
    },
  ];
  test.each(cases)('$name', ({ files, overrides, file, location, problem, fix }) => {
    const error = caught(build(files, overrides));
    expect(path.basename(error.file)).toBe(file);
    expect(error.location).toMatch(location);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
    expect(error.message).toContain(error.file);
  });

  test('a naming override resolves a collision', () => {
    const model = build(
      {
        'test.json': miniSpec({
          '/almaws/v1/things': getReturning({ type: 'object' }),
          '/almaws/v1/things/': getReturning({ type: 'object' }),
        }),
      },
      { 'GET /almaws/v1/things/': 'listThingsAgain' },
    )();
    expect(model.areas[0]!.operations.map((o) => o.exportName)).toEqual(['listThings', 'listThingsAgain']);
  });

  test('a YAML spec is read like JSON', () => {
    const yaml =
      'openapi: 3.0.1\ninfo: { title: t, version: "1" }\npaths:\n  /almaws/v1/things:\n    get:\n      summary: Read\n      responses:\n        "200": { description: OK }\n';
    expect(build({ 'test.yaml': yaml })().areas[0]!.operations[0]!.exportName).toBe('listThings');
  });
});

describe('bad configuration', () => {
  const base =
    'output:\n  dir: out\n  packageName: alma-client\nareas:\n  users:\n    url: https://example.org/users.json\n';
  const cases: { name: string; text: string; location: RegExp; problem: RegExp; fix: RegExp }[] = [
    {
      name: 'an unknown key',
      text: `${base}colour: blue\n`,
      location: /^line 7, column 1$/,
      problem: /unknown key "colour"/,
      fix: /one of: specDir, output, areas, mock, naming/,
    },
    {
      name: 'a wrong type',
      text: base.replace('packageName: alma-client', 'packageName: 42'),
      location: /line 3, column 16, output\.packageName/,
      problem: /expected a string, got number 42/,
      fix: /quoted string/,
    },
    {
      name: 'a missing key',
      text: 'areas:\n  users:\n    url: https://example.org/u.json\n',
      location: /line 1/,
      problem: /missing required key "output"/,
      fix: /add output/,
    },
    {
      name: 'a bad override key',
      text: `${base}naming:\n  overrides:\n    getUser: getPerson\n`,
      location: /^line 9, column 5$/,
      problem: /key "getUser" is not "METHOD \/path"/,
      fix: /rename the key/,
    },
    {
      name: 'a bad override name',
      text: `${base}naming:\n  overrides:\n    "GET /almaws/v1/users": 2users\n`,
      location: /line 9/,
      problem: /"2users" is not a TypeScript identifier/,
      fix: /set naming\.overrides/,
    },
    {
      name: 'invalid YAML',
      text: 'output: [\n',
      location: /^line \d+, column \d+$/,
      problem: /invalid YAML/,
      fix: /correct the YAML/,
    },
  ];
  test.each(cases)('$name', ({ text, location, problem, fix }) => {
    const error = caught(() => parseConfig(text, '/somewhere/alma-codegen.yaml'));
    expect(error.file).toBe('/somewhere/alma-codegen.yaml');
    expect(error.location).toMatch(location);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
  });

  test('ALMA_SPECS_DIR overrides the configured spec directory', () => {
    const config = parseConfig(`specDir: ./mine\n${base}`, '/somewhere/alma-codegen.yaml', {
      ALMA_SPECS_DIR: '/elsewhere',
    });
    expect(config).toMatchObject({ specDir: '/elsewhere', specDirSource: 'env' });
    expect(parseConfig(`specDir: ./mine\n${base}`, '/somewhere/alma-codegen.yaml', {})).toMatchObject({
      specDir: '/somewhere/mine',
      specDirSource: 'config',
    });
  });
});

describe('jsonErrorOffset', () => {
  const cases: [given: string, want: number | undefined][] = [
    ['{"a": 1}', undefined],
    ['[1, 2.5e3, -0, "x\\n", true, false, null, {}]', undefined],
    ['{"a": ,1}', 6],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['{"a": 01}', 7],
    ['{"a": "\u0001"}', 7],
    ['{"a": 1} x', 9],
    ['{"a": tru}', 9],
    ['', 0],
  ];
  test.each(cases)('%j → %j', (given, want) => expect(jsonErrorOffset(given)).toBe(want));
});

describe('the mock section of the configuration', () => {
  const base =
    'output:\n  dir: out\n  packageName: alma-client\nareas:\n  users:\n    url: https://example.org/users.json\n';
  test('is read', () => {
    const config = parseConfig(
      `${base}mock:\n  seed: 3\n  keys:\n    - key: k1\n      plan: read-only\n  faults:\n    - kind: reset-after\n      probability: 0.1\n      route: createUserLoan\n`,
      '/x/alma-codegen.yaml',
    );
    expect(config.mock).toEqual({
      seed: 3,
      keys: [{ key: 'k1', plan: 'read-only' }],
      faults: [{ kind: 'reset-after', probability: 0.1, route: 'createUserLoan' }],
    });
  });
  test.each([
    [
      'a probability out of range',
      'mock:\n  faults:\n    - kind: slow\n      probability: 2\n',
      /mock\.faults\.0\.probability: 2 is out of range/,
    ],
    [
      'an unknown fault',
      'mock:\n  faults:\n    - kind: meteor\n      probability: 1\n',
      /"meteor" is not one of error-500/,
    ],
    ['keys not a list', 'mock:\n  keys: k1\n', /mock\.keys: expected a list/],
    [
      'a bad plan',
      'mock:\n  keys:\n    - key: k\n      plan: admin\n',
      /"admin" is not read-write, read-only or guest/,
    ],
  ])('%s is refused', (_, extra, problem) => {
    expect(() => parseConfig(`${base}${extra}`, '/x/alma-codegen.yaml')).toThrow(problem);
  });
});

describe('a $ref to a file that does not exist is named, not silent', () => {
  test.each([
    ['a name that is not Alma’s', { $ref: `${EXL_OPENAPI_BASE}schemas/usr_typo.json#/usr_typo` }, {}, 'test.json'],
    [
      'a schema file pointing at a sibling it does not have',
      schemaRef,
      {
        'schemas/rest_thing.json': {
          rest_thing: { type: 'object', properties: { owner: { $ref: './rest_ownr.json#/rest_ownr' } } },
        },
      },
      'rest_thing.json',
    ],
  ])('%s', (_name, ref, files, from) => {
    const model = build({ 'test.json': miniSpec({ '/almaws/v1/things': getReturning(ref) }), ...files })();
    const warned = model.diagnostics.filter((d) => /no such file/.test(d.message));
    expect(warned).toHaveLength(1);
    expect(path.basename(warned[0]!.file)).toBe(from);
    expect(warned[0]!.message).toMatch(/if the name is a typo, correct it/);
  });
});
