import { describe, expect, test } from 'vitest';
import { generateInMemory } from '../../generator/pipeline/generate.js';
import { configFor, getReturning, miniSpec, writeTree } from '../helpers/specs.js';

// A module imports what its code uses, recorded as the code is written (`emit/names.ts`): words in the spec's prose
// that happen to be runtime names import nothing.

describe('module imports from what the code uses', () => {
  test('a description naming runtime exports imports none of them', async () => {
    const prose = 'Call safeUpdate( or runJob( yourself; an AlmaDocument, NoParams or XmlType is not used here.';
    const specs = writeTree({
      'test.json': miniSpec({
        '/almaws/v1/things/{thing_id}': getReturning(
          {
            type: 'object',
            properties: {
              status: {
                type: 'object',
                properties: { value: { type: 'string' }, desc: { type: 'string', xml: { attribute: true } } },
              },
            },
          },
          {
            description: prose,
            parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'string' } }],
          },
        ),
      }),
    });
    const { emitted } = await generateInMemory(configFor(specs, ['test']));
    const module = emitted.files.get('src/test.ts')!;
    expect(module).toContain(prose.split(';')[0]);
    const runtimeImport = module.split('\n').find((line) => line.includes("from './runtime/index.js'"))!;
    expect(runtimeImport).toBe("import type { AlmaClient, CallOptions, OperationSpec } from './runtime/index.js';");
    const xmlModule = emitted.files.get('src/xml/test.ts')!;
    expect(xmlModule.split('\n').find((line) => line.includes("from '../runtime/index.js'"))).toBe(
      "import type { XmlType } from '../runtime/index.js';",
    );
  });
});
