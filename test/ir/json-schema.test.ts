import { describe, expect, test } from 'vitest';
import { buildModel } from '../../generator/ir/build.js';
import type { ApiModel, IrType, Property } from '../../generator/ir/model.js';
import { DocumentStore, EXL_OPENAPI_BASE } from '../../generator/load/documents.js';
import { getReturning, miniSpec, writeTree } from '../helpers/specs.js';

/** Builds the model of one area whose single GET returns `rest_thing.json#/rest_thing`, with `schemas`. */
function modelWith(schemas: Record<string, unknown>): ApiModel {
  const dir = writeTree({
    'test.json': miniSpec({
      '/almaws/v1/things/{id}': {
        get: {
          ...(getReturning({ $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing.json#/rest_thing` }).get as object),
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        },
      },
    }),
    ...Object.fromEntries(Object.entries(schemas).map(([name, content]) => [`schemas/${name}`, content])),
  });
  return buildModel(
    { file: 'alma-codegen.yaml', areas: [{ name: 'test', url: 'https://example.org/test.json' }], nameOverrides: {} },
    new DocumentStore(dir),
  );
}

function rootType(model: ApiModel): IrType {
  const ref = model.areas[0]!.operations[0]!.response.type!;
  expect(ref.kind).toBe('ref');
  return model.schemas[(ref as { id: string }).id]!.type;
}

function props(type: IrType): Record<string, Pick<Property, 'required' | 'xml'> & { type: IrType }> {
  if (type.kind !== 'object') throw new Error(`expected an object, got ${type.kind}`);
  return Object.fromEntries(type.properties.map((p) => [p.name, { required: p.required, xml: p.xml, type: p.type }]));
}

const alias = (def: string) => ({ rest_thing: { description: 'A thing.', $ref: `#/${def}` } });

describe('JSON schema → IR', () => {
  const cases: { name: string; given: Record<string, unknown>; want: ReturnType<typeof props> }[] = [
    {
      name: 'scalars, required, formats',
      given: {
        'rest_thing.json': {
          ...alias('thing'),
          thing: {
            type: 'object',
            required: ['code'],
            xml: { name: 'thing' },
            properties: {
              code: { type: 'string' },
              count: { type: 'integer', format: 'int32' },
              ok: { type: 'boolean' },
              day: { type: 'string', format: 'date' },
            },
          },
        },
      },
      want: {
        code: { required: true, xml: { kind: 'element', name: 'code' }, type: { kind: 'string' } },
        count: { required: false, xml: { kind: 'element', name: 'count' }, type: { kind: 'integer', format: 'int32' } },
        ok: { required: false, xml: { kind: 'element', name: 'ok' }, type: { kind: 'boolean' } },
        day: { required: false, xml: { kind: 'element', name: 'day' }, type: { kind: 'string', format: 'date' } },
      },
    },
    {
      name: 'attribute and xml_value text',
      given: {
        'rest_thing.json': {
          ...alias('thing'),
          thing: {
            type: 'object',
            properties: {
              link: { type: 'string', xml: { attribute: true } },
              status: {
                type: 'object',
                properties: {
                  desc: { type: 'string', xml: { attribute: true } },
                  value: { type: 'string', xml: { name: 'xml_value' } },
                },
              },
            },
          },
        },
      },
      want: {
        link: { required: false, xml: { kind: 'attribute', name: 'link' }, type: { kind: 'string' } },
        status: {
          required: false,
          xml: { kind: 'element', name: 'status' },
          type: {
            kind: 'object',
            properties: [
              {
                name: 'desc',
                required: false,
                description: '',
                xml: { kind: 'attribute', name: 'desc' },
                type: { kind: 'string' },
              },
              {
                name: 'value',
                required: false,
                description: '',
                xml: { kind: 'text', name: 'xml_value' },
                type: { kind: 'string' },
              },
            ],
          },
        },
      },
    },
    {
      name: 'wrapped list through a $ref with sibling description',
      given: {
        'rest_thing.json': {
          ...alias('thing'),
          thing: { type: 'object', properties: { address: { $ref: '#/addresses', description: 'Addresses.' } } },
          addresses: {
            type: 'array',
            xml: { wrapped: true, name: 'addresses' },
            items: { type: 'string', xml: { name: 'address' } },
          },
        },
      },
      want: {
        address: {
          required: false,
          xml: { kind: 'element', name: 'address', wrapper: 'addresses' },
          type: { kind: 'array', items: { kind: 'string' } },
        },
      },
    },
    {
      name: 'unwrapped list of a relative file ref',
      given: {
        'rest_thing.json': {
          ...alias('things'),
          things: {
            type: 'object',
            properties: {
              total_record_count: { type: 'integer', xml: { attribute: true } },
              part: { type: 'array', items: { $ref: './rest_part.json#/rest_part' } },
            },
          },
        },
        'rest_part.json': {
          rest_part: { $ref: '#/part' },
          part: { type: 'object', properties: { n: { type: 'string' } } },
        },
      },
      want: {
        total_record_count: {
          required: false,
          xml: { kind: 'attribute', name: 'total_record_count' },
          type: { kind: 'integer' },
        },
        part: {
          required: false,
          xml: { kind: 'element', name: 'part' },
          type: { kind: 'array', items: { kind: 'ref', id: 'rest_part.json#/part' } },
        },
      },
    },
    {
      name: 'a cycle becomes a reference to itself',
      given: {
        'rest_thing.json': {
          ...alias('thing'),
          thing: { type: 'object', properties: { parent: { $ref: '#/thing' } } },
        },
      },
      want: {
        parent: {
          required: false,
          xml: { kind: 'element', name: 'parent' },
          type: { kind: 'ref', id: 'rest_thing.json#/thing' },
        },
      },
    },
  ];
  test.each(cases)('$name', ({ given, want }) => {
    expect(props(rootType(modelWith(given)))).toEqual(want);
  });

  test('the alias entry names the type after the file and keeps the XML root', () => {
    const model = modelWith({
      'rest_thing.json': {
        ...alias('thing'),
        thing: {
          type: 'object',
          xml: { name: 'thing' },
          description: 'Thing object.',
          properties: { a: { type: 'string' } },
        },
      },
    });
    expect(model.schemas['rest_thing.json#/thing']).toMatchObject({
      tsName: 'Thing',
      source: 'json-schema',
      xmlRoot: 'thing',
      description: 'Thing object.',
    });
  });

  test('a missing schema file with no XSD is an untyped document, reported', () => {
    const model = modelWith({});
    expect(rootType(model)).toEqual({ kind: 'document' });
    expect(model.schemas['untyped:rest_thing']).toMatchObject({ source: 'untyped', tsName: 'Thing' });
    expect(model.diagnostics).toEqual([expect.objectContaining({ kind: 'untyped' })]);
  });

  test('a missing -post variant falls back to the entity schema file', () => {
    const dir = writeTree({
      'test.json': miniSpec({
        '/almaws/v1/things': {
          post: {
            summary: 'Create',
            parameters: [],
            requestBody: {
              content: {
                'application/json': {
                  schema: { $ref: `${EXL_OPENAPI_BASE}schemas/rest_thing-post.json#/rest_thing-post` },
                },
              },
            },
            responses: { '200': { description: 'OK' } },
          },
        },
      }),
      'schemas/rest_thing.json': {
        ...alias('thing'),
        thing: { type: 'object', properties: { a: { type: 'string' } } },
      },
    });
    const model = buildModel(
      { file: 'x.yaml', areas: [{ name: 'test', url: 'https://example.org' }], nameOverrides: {} },
      new DocumentStore(dir),
    );
    expect(model.areas[0]!.operations[0]!.requestBody!.type).toEqual({ kind: 'ref', id: 'rest_thing.json#/thing' });
  });
});
