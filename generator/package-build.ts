import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type * as Typescript from 'typescript';
import { GeneratorError } from './errors.js';
import { writeDirectoryAtomically } from './write.js';

/**
 * Builds a generated package into `dist/`: ESM with declarations (`tsconfig.json`, type-checked) and CommonJS
 * (`tsconfig.cjs.json`) beside it, each with its `.d.ts`, so that `import` and `require` both resolve with types. The
 * same result as the package's own `npm run build`, without installing its dev dependencies first. `dist/` is
 * swapped in whole, so a failed build leaves the previous one.
 */
export async function buildPackage(packageDir: string): Promise<{ files: number }> {
  const ts = createRequire(import.meta.url)('typescript') as typeof Typescript;
  const esm = parseConfig(ts, path.join(packageDir, 'tsconfig.json'));
  const cjs = parseConfig(ts, path.join(packageDir, 'tsconfig.cjs.json'));
  const outputs = new Map<string, string>();
  const dist = path.join(packageDir, 'dist');
  const relativeOut = (file: string) => path.relative(dist, file);

  const program = ts.createProgram({ rootNames: esm.fileNames, options: esm.options });
  const emitted = program.emit(undefined, (file, text) => outputs.set(relativeOut(file), text));
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    const first = errors[0]!;
    const where = first.file ? `${path.relative(packageDir, first.file.fileName)}:${first.file.getLineAndCharacterOfPosition(first.start ?? 0).line + 1}` : 'tsconfig.json';
    throw new GeneratorError(packageDir, where, `${errors.length} type error(s); the first: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`, 'regenerate the package (`alma-codegen generate --force`); generated code does not need editing');
  }
  // Each file is compiled on its own (isolatedModules), so the CommonJS build needs no second type-check; its
  // declarations are the ESM ones, which read the same under either module system.
  const esmOut = relativeOut(esm.options.outDir!);
  const cjsOut = relativeOut(cjs.options.outDir!);
  for (const source of esm.fileNames) {
    const relative = path.relative(esm.options.rootDir!, source).replace(/\.ts$/, '');
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: cjs.options, fileName: source });
    outputs.set(path.join(cjsOut, `${relative}.js`), outputText);
    const declaration = outputs.get(path.join(esmOut, `${relative}.d.ts`));
    if (declaration !== undefined) outputs.set(path.join(cjsOut, `${relative}.d.ts`), declaration);
  }
  outputs.set(path.join(cjsOut, 'package.json'), '{"type": "commonjs"}\n');
  await writeDirectoryAtomically(dist, new Map([...outputs].sort(([a], [b]) => (a < b ? -1 : 1))));
  return { files: outputs.size };
}

function parseConfig(ts: typeof Typescript, file: string): Typescript.ParsedCommandLine {
  const problems: Typescript.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d) });
  if (!parsed || problems.length || parsed.errors.length) {
    const message = [...problems, ...(parsed?.errors ?? [])].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
    throw new GeneratorError(file, '', `cannot read the TypeScript configuration: ${message}`, 'run `alma-codegen generate --force` to write the package again');
  }
  return parsed;
}

/** Packs a built package with npm into `destination`; resolves to the tarball's path. */
export async function packPackage(packageDir: string, destination: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // The package was just built: its prepack script (which builds with its own dev dependencies) is not needed.
  const { stdout } = await promisify(execFile)(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], { cwd: packageDir });
  const [result] = JSON.parse(stdout) as { filename: string }[];
  return path.join(destination, result!.filename);
}
