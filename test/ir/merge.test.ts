import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildModel, readArea } from '../../generator/ir/build.js';
import { DocumentStore, EXL_OPENAPI_BASE } from '../../generator/load/documents.js';
import { getReturning, miniSpec, writeTree } from '../helpers/specs.js';

// Each area is read on its own and the areas merged (what lets a generation read only the areas that changed): the
// result must be the one reading them all with one registry gives, in names and in findings.

const specs = writeTree({
  // rest_thing.json's `code` and rest_thing_code.json's root both ask for the name ThingCode.
  'a.json': miniSpec({
    '/almaws/v1/a': getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing.json#/rest_thing` }),
  }),
  'b.json': miniSpec({
    '/almaws/v1/b': getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing_code.json#/rest_thing_code` }),
  }),
  // `e` reaches both, the root of rest_thing_code.json first.
  'e.json': miniSpec({
    '/almaws/v1/e': getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing_code.json#/rest_thing_code` }),
    '/almaws/v1/e2': getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing.json#/rest_thing` }),
  }),
  'schemas/rest_thing.json': {
    rest_thing: { $ref: '#/thing' },
    thing: { type: 'object', properties: { code: { $ref: '#/code' } } },
    code: { type: 'object', properties: { value: { type: 'string' } } },
  },
  'schemas/rest_thing_code.json': {
    rest_thing_code: { $ref: '#/thing_code' },
    thing_code: { type: 'object', properties: { value: { type: 'string' } } },
  },
  // `c` and `d` both stand in an untyped document for rest_attachment, missing under two file names.
  'c.json': miniSpec({
    '/almaws/v1/c': getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_attachment.json#/rest_attachment` }),
  }),
  'd.json': miniSpec({
    '/almaws/v1/d': getReturning({
      $ref: `${EXL_OPENAPI_BASE}schemas/rest_attachment-post.json#/rest_attachment-post`,
    }),
  }),
});

function model(areas: string[]) {
  return buildModel(
    {
      file: path.join(specs, 'alma-codegen.yaml'),
      areas: areas.map((name) => ({ name, url: 'https://example.org' })),
      nameOverrides: {},
    },
    new DocumentStore(specs),
  );
}

const names = (areas: string[]) => {
  const { schemas } = model(areas);
  return [schemas['rest_thing.json#/code']?.tsName, schemas['rest_thing_code.json#/thing_code']?.tsName];
};

describe('areas read alone and merged', () => {
  test.each([
    { areas: ['a', 'b'], want: ['ThingCode', 'ThingCode2'] },
    { areas: ['b', 'a'], want: ['ThingCode2', 'ThingCode'] },
    { areas: ['e'], want: ['ThingCode2', 'ThingCode'] },
    { areas: ['a', 'e'], want: ['ThingCode', 'ThingCode2'] },
    { areas: ['e', 'a', 'b'], want: ['ThingCode2', 'ThingCode'] },
  ])(
    'names are claimed in area order, each area in its own order, as one registry claims them: $areas',
    ({ areas, want }) => {
      expect(names(areas)).toEqual(want);
    },
  );

  test('a schema two areas reach is one schema, standing in for the missing files of both; its finding is reported once, by the first area', () => {
    const merged = model(['c', 'd']);
    const attachment = merged.schemas['untyped:rest_attachment']!;
    expect(attachment.fallbackFor?.map((f) => path.basename(f))).toEqual([
      'rest_attachment-post.json',
      'rest_attachment.json',
    ]);
    expect(merged.diagnostics.filter((d) => d.kind === 'untyped').map((d) => path.basename(d.file))).toEqual([
      'rest_attachment.json',
    ]);
    expect(
      model(['d', 'c'])
        .diagnostics.filter((d) => d.kind === 'untyped')
        .map((d) => path.basename(d.file)),
    ).toEqual(['rest_attachment-post.json']);
  });

  test('an area read alone holds everything it reaches, in the order it reached it, with the names it asked for', () => {
    const slice = readArea('e', new DocumentStore(specs), path.join(specs, 'alma-codegen.yaml'));
    expect(slice.schemas.map(({ names, schema }) => [schema.id, names])).toEqual([
      ['rest_thing_code.json#/thing_code', ['ThingCode']],
      ['rest_thing.json#/thing', ['Thing']],
      ['rest_thing.json#/code', ['ThingCode']],
    ]);
  });
});
