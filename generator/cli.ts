import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, loadConfig, type Config } from './config.js';
import { colourEnabled, createOutput, paint, type Output } from './console.js';
import { ConvertError, GeneratorError } from './errors.js';
import { staleness } from './manifest.js';
import { generatorVersion, packageDirOf } from './tool.js';

// Commands import what they need when they run: `generate` on unchanged specs and `check` must answer fast, without
// loading ts-morph and the TypeScript compiler.

const program = new Command()
  .name('alma-codegen')
  .description('Generate a typed TypeScript client for the Ex Libris Alma REST APIs from the published OpenAPI specs.')
  .version(generatorVersion())
  .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG_FILE);

program
  .command('generate')
  .description('Generate the client package from the specs (never touches the network); areas whose inputs did not change are left as they are.')
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (operations, files written, time)')
  .option('-f, --force', 'regenerate even when nothing changed')
  .option('-w, --watch', 'regenerate whenever a spec, schema, XSD or the configuration changes')
  .addHelpText('after', '\nExamples:\n  $ alma-codegen generate\n  $ alma-codegen generate --watch\n  $ ALMA_SPECS_DIR=./specs/cache alma-codegen generate --force --json')
  .action(async (options: { quiet?: boolean; json?: boolean; force?: boolean; watch?: boolean }) => {
    const configFile = program.opts<{ config: string }>().config;
    await runGenerate(loadConfig(configFile), options);
    if (!options.watch) return;
    const config = loadConfig(configFile);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = Promise.resolve();
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(() => runGenerate(loadConfig(configFile), { ...options, force: false })).catch((error: unknown) => console.error(`${errorPrefix()} ${(error as Error).message}`));
      }, 200);
    };
    const watchers = [watch(config.specDir, { recursive: true }, changed), watch(config.file, changed)];
    console.log(`watching ${config.specDir} and ${config.file} (Ctrl-C stops)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    watchers.forEach((w) => w.close());
  });

async function runGenerate(config: Config, options: { quiet?: boolean; json?: boolean; force?: boolean }): Promise<void> {
  const out = createOutput(options);
  const started = performance.now();
  const packageDir = packageDirOf(config);
  const where = path.relative(process.cwd(), packageDir) || '.';
  if (!options.force) {
    const state = staleness(config, packageDir);
    if (state.upToDate) {
      const ms = Math.round(performance.now() - started);
      out.info(`${where} is ${out.paint('green', 'up to date')} (${ms} ms; --force regenerates)`);
      out.result({ packageDir, upToDate: true, written: [], ms });
      return;
    }
  }
  const { generate } = await import('./generate.js');
  const { summaryTable } = await import('./report.js');
  const result = await generate(config, (stage) => out.progress(stage));
  const { report } = result.emitted;
  const ms = Math.round(performance.now() - started);
  out.info(summaryTable(report));
  for (const d of report.diagnostics.filter((x) => x.kind === 'xsd' || x.kind === 'observed')) out.note(`${d.file}${d.location ? ` (${d.location})` : ''}: ${d.message}`);
  const untyped = report.schemas.filter((s) => s.source === 'untyped').map((s) => s.tsName);
  if (untyped.length) out.note(`${untyped.length} schemas have neither a JSON schema file nor an XSD in the spec directory and are untyped documents (run \`alma-codegen sync\` for the full set): ${untyped.join(', ')}`);
  const unchanged = config.areas.map((a) => a.name).filter((area) => !result.written.includes(`src/${area}.ts`));
  out.info(
    `\n${out.paint('bold', `${report.totals.operations} operations`)}; ${result.written.length} of ${result.emitted.files.size + 1} files written${unchanged.length ? ` (unchanged areas: ${unchanged.join(', ')})` : ''} → ${where} in ${ms} ms (specs from ${result.config.specDir})`,
  );
  out.result({ packageDir, upToDate: false, operations: report.totals.operations, bodies: report.totals.bodies, untypedSchemas: untyped, written: result.written, unchangedAreas: unchanged, ms, specDir: result.config.specDir });
}

program
  .command('build')
  .description('Generate if stale, then compile the package into dist/: ESM and CommonJS, each with type declarations.')
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON')
  .addHelpText('after', '\nExample:\n  $ alma-codegen build && node -e "require(\'./output/alma-client\')"')
  .action(async (options: { quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const built = await runBuild(loadConfig(program.opts<{ config: string }>().config), out);
    out.result(built);
  });

program
  .command('pack')
  .description('Generate if stale, build, and pack the package with npm into a tarball other projects can install.')
  .option('-o, --out <dir>', 'directory for the tarball', '.')
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (tarball path and size)')
  .addHelpText('after', '\nExample:\n  $ alma-codegen pack --out dist-packages && npm install ./dist-packages/alma-client-0.1.0.tgz')
  .action(async (options: { out: string; quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const config = loadConfig(program.opts<{ config: string }>().config);
    const built = await runBuild(config, out);
    const { mkdir, stat } = await import('node:fs/promises');
    const { packPackage } = await import('./package-build.js');
    const destination = path.resolve(options.out);
    await mkdir(destination, { recursive: true });
    out.progress('npm pack');
    const tarball = await packPackage(built.packageDir, destination);
    const size = (await stat(tarball)).size;
    out.info(`${path.relative(process.cwd(), tarball)} (${Math.round(size / 1024)} kB)`);
    out.result({ ...built, tarball, size });
  });

async function runBuild(config: Config, out: Output): Promise<{ packageDir: string; files: number; ms: number }> {
  await runGenerate(config, { quiet: true });
  const started = performance.now();
  const packageDir = packageDirOf(config);
  const { buildPackage } = await import('./package-build.js');
  out.progress('compiling ESM and CommonJS with declarations');
  const { files } = await buildPackage(packageDir);
  const ms = Math.round(performance.now() - started);
  out.info(`built ${files} files (ESM, CommonJS, declarations) into ${path.relative(process.cwd(), path.join(packageDir, 'dist'))} in ${ms} ms`);
  return { packageDir, files, ms };
}

program
  .command('sync')
  .description('Download every area spec and, recursively, every schema file and XSD they use into specs/cache, and record them in specs/alma.lock.json.')
  .option('--from <url-or-dir>', "download from this base URL or directory instead of the areas' URLs")
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (changed, not modified, absent files)')
  .addHelpText('after', '\nExamples:\n  $ alma-codegen sync\n  $ alma-codegen sync --from ./mirror --json\n  $ ALMA_SPECS_DIR=specs/cache alma-codegen generate')
  .action(async (options: { from?: string; quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const config = loadConfig(program.opts<{ config: string }>().config);
    const { syncSpecs } = await import('./sync.js');
    const result = await syncSpecs({ config, ...(options.from ? { from: options.from } : {}), onProgress: (stage) => out.progress(stage) });
    out.info(`${Object.keys(result.lock.files).length} files in the cache: ${result.changed.length} new or changed, ${result.notModified.length} not modified, ${result.absent.length} referenced but absent on the server (generation falls back for those)`);
    if (result.changed.length) out.info(`changed: ${result.changed.join(', ')}\nrun \`alma-codegen diff\` to see what it means for the client`);
    out.result({ files: Object.keys(result.lock.files).length, changed: result.changed, notModified: result.notModified, absent: result.absent });
  });

program
  .command('check')
  .description('Exit non-zero when the generated output is stale against the specs or the configuration (for prebuild scripts and CI).')
  .option('-q, --quiet', 'print nothing; the exit code tells')
  .option('--json', 'print { upToDate, reasons } as JSON')
  .addHelpText('after', '\nExample, in a consumer\'s package.json:\n  "prebuild": "alma-codegen check"')
  .action((options: { quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const config = loadConfig(program.opts<{ config: string }>().config);
    const state = staleness(config, packageDirOf(config));
    out.result({ upToDate: state.upToDate, reasons: state.reasons });
    if (state.upToDate) {
      out.info(`the generated client is ${out.paint('green', 'up to date')}`);
      return;
    }
    if (!options.quiet && !options.json) console.error(`${errorPrefix()} the generated client is stale:\n${state.reasons.map((r) => `  - ${r}`).join('\n')}\n  fix: run \`alma-codegen generate\` (and \`alma-codegen diff\` to see what changed)`);
    process.exitCode = 1;
  });

program
  .command('bundle')
  .description('Write self-contained copies of the area specs, every schema $ref resolved into components/schemas.')
  .requiredOption('-o, --out <dir>', 'output directory')
  .addHelpText('after', '\nExample:\n  $ alma-codegen bundle --out .tmp/bundled')
  .action(async (options: { out: string }) => {
    const config = loadConfig(program.opts<{ config: string }>().config);
    const { bundleSpecs } = await import('./bundle.js');
    const written = await bundleSpecs(config, path.resolve(options.out));
    console.log(`bundled ${written.length} specs into ${options.out}`);
  });

program
  .command('convert')
  .description("Convert an Alma record between XML and JSON, as Alma's own JSON API would (stdin to stdout by default).")
  .option('-t, --type <schema>', 'the record type, as Ex Libris names the schema (rest_user, rest_bib); inferred from the root element of XML')
  .option('--to <format>', 'json or xml')
  .option('--list-types', 'list the record types known')
  .argument('[file]', 'the record to convert (default: stdin)')
  .addHelpText('after', '\nExamples:\n  $ alma-codegen convert --to json user.xml > user.json\n  $ alma-codegen convert --type rest_user --to xml user.json')
  .action(async (file: string | undefined, options: { type?: string; to?: string; listTypes?: boolean }) => {
    const { loadCodecTypes } = await import('./codec-types.js');
    const { convertRecord } = await import('./convert.js');
    const types = loadCodecTypes(loadConfig(program.opts<{ config: string }>().config));
    if (options.listTypes) {
      console.log(types.names().join('\n'));
      return;
    }
    if (options.to !== 'json' && options.to !== 'xml') throw new ConvertError('--to json or --to xml is required');
    const input = file
      ? await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new ConvertError(`cannot read ${file} (${error.code ?? error.message}): check the path`);
        })
      : await readStdin();
    try {
      const { output, typeUsed } = convertRecord({ input, to: options.to, ...(options.type ? { type: options.type } : {}) }, types);
      if (!typeUsed) console.error('note: no schema knows this root element: converted by the generic rules');
      process.stdout.write(output);
    } catch (error) {
      const { XmlCodecError } = await import('../runtime/codec.js');
      const { XmlSyntaxError } = await import('../runtime/internal/xml.js');
      if (error instanceof XmlSyntaxError || error instanceof XmlCodecError) throw new ConvertError(`${file ?? 'stdin'}: ${error.message}`);
      throw error;
    }
  });

program
  .command('mock')
  .description('Serve an Alma-like API from the specs, with state, keys, thresholds and faults (settings: the mock section of the config).')
  .option('-p, --port <port>', 'port to listen on (default: mock.port, else 8079)')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .addHelpText('after', '\nExample:\n  $ alma-codegen mock --port 8079\n  $ curl -H "Authorization: apikey mock-key" -H "Accept: application/json" http://127.0.0.1:8079/almaws/v1/users/user1')
  .action(async (options: { port?: string; host: string }) => {
    const config = loadConfig(program.opts<{ config: string }>().config);
    const port = options.port !== undefined ? Number(options.port) : (config.mock.port ?? 8079);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConvertError(`--port must be a port number, got "${options.port}"`);
    const { port: _ignored, ...settings } = config.mock;
    const { startMockServer } = await import('../mock/server.js');
    const server = await startMockServer({ ...settings, config, port, host: options.host });
    const keys = config.mock.keys ?? [{ key: 'mock-key', plan: 'read-write' as const }];
    console.log(`Alma mock on ${server.url} (${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.map((k) => k.plan ?? 'read-write').join(', ')}; ${config.mock.perSecondLimit ?? 25} calls/s; Ctrl-C stops it)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => void server.close().then(resolve)));
  });

program
  .command('diff')
  .description('Report what changed between two spec directories: operations, parameters, types, fields, error codes; breaking changes marked.')
  .option('--old <dir>', 'the earlier spec directory (default: specs/previous, the cache before the last sync)')
  .option('--new <dir>', 'the later spec directory (default: the configured one)')
  .option('--json', 'print the report as JSON')
  .addHelpText('after', '\nExample:\n  $ alma-codegen diff --old ../specs-2026-10 --new ../shared/alma-openapi')
  .action(async (options: { old?: string; new?: string; json?: boolean }) => {
    const config = loadConfig(program.opts<{ config: string }>().config);
    const old = options.old ?? path.join(path.dirname(config.file), 'specs', 'previous');
    if (!(await import('node:fs')).existsSync(old)) throw new ConvertError(`${old} does not exist: run \`alma-codegen sync\` twice (it keeps the cache it replaces there) or pass --old <dir>`);
    const { buildModel } = await import('./ir/build.js');
    const { DocumentStore } = await import('./load/documents.js');
    const { changeReport, formatChanges } = await import('./changes.js');
    const model = (dir: string) => buildModel(config, new DocumentStore(path.resolve(dir)));
    const changes = changeReport(model(old), model(options.new ?? config.specDir));
    process.stdout.write(options.json ? `${JSON.stringify(changes, null, 2)}\n` : formatChanges(changes));
  });

function errorPrefix(): string {
  return paint('red', 'alma-codegen:', colourEnabled(process.stderr));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof GeneratorError || error instanceof ConvertError || (error instanceof Error && error.name === 'SyncError')) {
    console.error(`${errorPrefix()} ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
