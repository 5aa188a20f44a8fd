import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { REPO } from '../helpers/specs.js';

/** What `createClient` accepts, as the TypeScript compiler sees it (strict). */
function compile(body: string): string[] {
  const file = path.join(REPO, 'test/runtime/__client-types.ts');
  const source = `import { createClient } from '../../runtime/client.js';\n${body}\n`;
  const host = ts.createCompilerHost({ strict: true, noEmit: true, target: ts.ScriptTarget.ES2022 });
  const read = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === file ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || exists(name);
  const program = ts.createProgram(
    [file],
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    },
    host,
  );
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName) === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
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
