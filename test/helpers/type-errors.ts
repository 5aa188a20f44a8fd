import path from 'node:path';
import ts from 'typescript';

/**
 * The compiler's errors in `source`, read as the file `file` (nothing is written: the compiler host serves it), under
 * strict settings, with the DOM and ES2022 libraries and no @types: how a consumer's code sees the types.
 */
export function typeErrors(file: string, source: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    skipLibCheck: true,
  };
  const target = path.resolve(file);
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === target ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === target || exists(name);
  return ts
    .getPreEmitDiagnostics(ts.createProgram([target], options, host))
    .filter((d) => d.file && path.resolve(d.file.fileName) === target)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
