import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type * as Typescript from 'typescript';
import { GeneratorError } from '../errors.js';
import { TOOL_ROOT } from '../base/tool.js';
import { writeDirectoryAtomically } from './write.js';

/**
 * Builds a generated package into `dist/`: ESM with declarations (`tsconfig.json`, type-checked) and CommonJS
 * (`tsconfig.cjs.json`) beside it, each with its `.d.ts`, so that `import` and `require` both resolve with types. The
 * same result as the package's own `npm run build`, without installing its dev dependencies first. `dist/` is
 * swapped in whole, so a failed build leaves the previous one.
 */
export async function buildPackage(
  packageDir: string,
  options: { force?: boolean } = {},
): Promise<{ files: number; skipped: boolean }> {
  const ts = createRequire(import.meta.url)('typescript') as typeof Typescript;
  const esm = parseConfig(ts, path.join(packageDir, 'tsconfig.json'));
  const cjs = parseConfig(ts, path.join(packageDir, 'tsconfig.cjs.json'));
  const outputs = new Map<string, string>();
  const dist = path.join(packageDir, 'dist');
  const relativeOut = (file: string) => path.relative(dist, file);
  const inputs = inputsHash(packageDir, esm.fileNames);
  const stamp = path.join(dist, BUILD_STAMP);
  if (!options.force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputs)
    return { files: 0, skipped: true };

  const program = ts.createProgram({
    rootNames: esm.fileNames,
    options: esm.options,
    host: hostResolvingFromTool(ts, esm.options),
  });
  const emitted = program.emit(undefined, (file, text) => outputs.set(relativeOut(file), text));
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length) {
    const first = errors[0]!;
    const where = first.file
      ? `${path.relative(packageDir, first.file.fileName)}:${first.file.getLineAndCharacterOfPosition(first.start ?? 0).line + 1}`
      : 'tsconfig.json';
    const message = ts.flattenDiagnosticMessageText(first.messageText, '\n');
    const missing = /Cannot find module '([^']+)'/.exec(message)?.[1];
    const fix = missing
      ? `install ${missing} in this project (\`npm install ${missing}\`): neither the package nor alma-codegen could resolve it`
      : 'regenerate the package (`alma-codegen generate --force`); generated code does not need editing';
    throw new GeneratorError(packageDir, where, `${errors.length} type error(s); the first: ${message}`, fix);
  }
  // Each file is compiled on its own (isolatedModules), so the CommonJS build needs no second type-check; its
  // declarations are the ESM ones, which read the same under either module system.
  const esmOut = relativeOut(esm.options.outDir!);
  const cjsOut = relativeOut(cjs.options.outDir!);
  for (const source of esm.fileNames) {
    const relative = path.relative(esm.options.rootDir!, source).replace(/\.ts$/, '');
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: cjs.options,
      fileName: source,
    });
    outputs.set(path.join(cjsOut, `${relative}.js`), outputText);
    const declaration = outputs.get(path.join(esmOut, `${relative}.d.ts`));
    if (declaration !== undefined) outputs.set(path.join(cjsOut, `${relative}.d.ts`), declaration);
  }
  outputs.set(path.join(cjsOut, 'package.json'), '{"type": "commonjs"}\n');
  outputs.set(BUILD_STAMP, `${inputs}\n`);
  await writeDirectoryAtomically(dist, new Map([...outputs].sort(([a], [b]) => (a < b ? -1 : 1))));
  return { files: outputs.size - 1, skipped: false };
}

/** In `dist/`: the hash of the sources and configuration it was built from. */
const BUILD_STAMP = '.build-inputs';

function inputsHash(packageDir: string, sources: string[]): string {
  const hash = createHash('sha256');
  for (const file of [...sources]
    .sort()
    .concat(['package.json', 'tsconfig.json', 'tsconfig.cjs.json'].map((f) => path.join(packageDir, f)))) {
    hash.update(path.relative(packageDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * A compiler host that resolves the package's imports where the package is, and else from alma-codegen's own
 * dependencies: the generated package builds in any project, installed there or not.
 */
function hostResolvingFromTool(ts: typeof Typescript, options: Typescript.CompilerOptions): Typescript.CompilerHost {
  const host = ts.createCompilerHost(options);
  const fromTool = path.join(TOOL_ROOT, 'package.json');
  host.resolveModuleNameLiterals = (literals, containingFile, _redirect, compilerOptions, sourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(sourceFile, literal, compilerOptions);
      const own = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, undefined, undefined, mode);
      if (own.resolvedModule || literal.text.startsWith('.')) return own;
      return ts.resolveModuleName(literal.text, fromTool, compilerOptions, host, undefined, undefined, mode);
    });
  return host;
}

function parseConfig(ts: typeof Typescript, file: string): Typescript.ParsedCommandLine {
  const problems: Typescript.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    file,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => problems.push(d) },
  );
  if (!parsed || problems.length || parsed.errors.length) {
    const message = [...problems, ...(parsed?.errors ?? [])]
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      .join('; ');
    throw new GeneratorError(
      file,
      '',
      `cannot read the TypeScript configuration: ${message}`,
      'run `alma-codegen generate --force` to write the package again',
    );
  }
  return parsed;
}

/** Packs a built package with npm into `destination`; resolves to the tarball's path. */
export async function packPackage(packageDir: string, destination: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // The package was just built: its prepack script (which builds with its own dev dependencies) is not needed.
  const { stdout } = await promisify(execFile)(
    npm,
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    { cwd: packageDir },
  );
  const [result] = JSON.parse(stdout) as { filename: string }[];
  return path.join(destination, result!.filename);
}
