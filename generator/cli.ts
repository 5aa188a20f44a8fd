import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Commander from 'commander';
import { build, check, diff, generate, pack, probe, sync } from './api.js';
import { loadConfig, type Config } from './config.js';
import { colourEnabled, createOutput, paint, type Output } from './console.js';
import { AlmaCodegenError, EnvironmentError, UsageError } from './errors.js';
import { generatorVersion } from './base/tool.js';
import { watchInputs } from './pipeline/watch.js';
import { CACHE_SPECS } from './specs/layout.js';

// commander is CommonJS: required, not imported, so that Node does not scan it for export names on every start.
const { Command, Option } = createRequire(import.meta.url)('commander') as typeof Commander;

// Commands import what they need when they run: `generate` on unchanged specs and `check` must answer fast, without
// loading ts-morph and the TypeScript compiler.

const program = new Command()
  .name('alma-codegen')
  .description('Generate a typed TypeScript client for the Ex Libris Alma REST APIs from the published OpenAPI specs.')
  .version(generatorVersion())
  .option('-c, --config <file>', 'configuration file (default: alma-codegen.yaml here or in a folder above)');

/** The configuration: the one named, else the nearest `alma-codegen.yaml` at or above the working folder. */
const config = (): Config => loadConfig(program.opts<{ config?: string }>().config);

/** Whether the command being run asked for `--json`: failures are then a JSON document too. */
let jsonOutput = false;
program.hook('preAction', (_program, command) => {
  jsonOutput = Boolean(command.opts<{ json?: boolean }>().json);
});

program
  .command('init')
  .description('Write a commented minimal alma-codegen.yaml in the working folder.')
  .option('--areas <list>', 'comma-separated areas (default: all nine)')
  .option('--spec-dir <dir>', 'where the specs are read from', CACHE_SPECS)
  .option('--output <dir>', 'where the package is written', 'generated')
  .option('--package-name <name>', 'npm name of the generated package', 'alma-client')
  .option('-f, --force', 'replace an existing alma-codegen.yaml')
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen init\n  $ alma-codegen init --areas users,conf --output src/generated',
  )
  .action(
    async (options: { areas?: string; specDir: string; output: string; packageName: string; force?: boolean }) => {
      const { init } = await import('./init.js');
      const { file } = await init({
        ...(options.areas
          ? {
              areas: options.areas
                .split(',')
                .map((a) => a.trim())
                .filter(Boolean),
            }
          : {}),
        specDir: options.specDir,
        outputDir: options.output,
        packageName: options.packageName,
        force: options.force ?? false,
      });
      console.log(
        `wrote ${path.relative(process.cwd(), file)}; next: \`alma-codegen sync\` (downloads the specs), then \`alma-codegen generate\``,
      );
    },
  );

program
  .command('generate')
  .description(
    'Generate the client package from the specs (never touches the network); areas whose inputs did not change are left as they are.',
  )
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (operations, files written, time)')
  .option('-f, --force', 'regenerate even when nothing changed')
  .option('-w, --watch', 'regenerate whenever a spec, schema, XSD or the configuration changes')
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen generate\n  $ alma-codegen generate --watch\n  $ ALMA_SPECS_DIR=./specs/cache alma-codegen generate --force --json',
  )
  .action(async (options: { quiet?: boolean; json?: boolean; force?: boolean; watch?: boolean }) => {
    await runGenerate(config(), options);
    if (options.watch) await watchAndRegenerate(options);
  });

async function runGenerate(
  config: Config,
  options: { quiet?: boolean; json?: boolean; force?: boolean },
): Promise<void> {
  const out = createOutput(options);
  const result = await generate({
    config,
    ...(options.force ? { force: true } : {}),
    onProgress: (stage) => out.progress(stage),
  });
  const where = path.relative(process.cwd(), result.packageDir) || '.';
  const { report, ...summary } = result;
  if (!report) {
    out.info(`${where} is ${out.paint('green', 'up to date')} (${result.ms} ms; --force regenerates)`);
    out.result(summary);
    return;
  }
  const { summaryTable } = await import('./emit/report.js');
  out.info(summaryTable(report));
  for (const d of report.diagnostics.filter((x) => x.kind === 'xsd' || x.kind === 'observed'))
    out.note(`${d.file}${d.location ? ` (${d.location})` : ''}: ${d.message}`);
  const untyped = result.untypedSchemas ?? [];
  if (untyped.length)
    out.note(
      `${untyped.length} schemas have neither a JSON schema file nor an XSD in the spec directory and are untyped documents (run \`alma-codegen sync\` for the full set): ${untyped.join(', ')}`,
    );
  const unchanged = result.unchangedAreas ?? [];
  out.info(
    `\n${out.paint('bold', `${report.totals.operations} operations`)}; ${result.written.length} of ${result.files} files written${unchanged.length ? ` (unchanged areas: ${unchanged.join(', ')})` : ''} → ${where} in ${result.ms} ms (specs from ${result.specDir})`,
  );
  out.result(summary);
}

/** Regenerates on every change to the specs or the configuration (see `watchInputs`) until Ctrl-C. */
async function watchAndRegenerate(options: { quiet?: boolean; json?: boolean }): Promise<void> {
  const first = config();
  const stop = watchInputs({ specDir: first.specDir, configFile: first.file }, () =>
    runGenerate(config(), { ...options, force: false }).catch((error: unknown) => report(error)),
  );
  console.log(`watching ${first.specDir} and ${first.file} (Ctrl-C stops)`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  stop();
}

program
  .command('build')
  .description(
    'Generate if stale, then compile the package into dist/: ESM and CommonJS, each with type declarations; skipped when the sources did not change.',
  )
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON')
  .option('-f, --force', 'compile even when the sources did not change')
  .addHelpText('after', '\nExample:\n  $ alma-codegen build && node -e "require(\'./output/alma-client\')"')
  .action(async (options: { quiet?: boolean; json?: boolean; force?: boolean }) => {
    const out = createOutput(options);
    const built = await build({
      config: config(),
      force: options.force ?? false,
      onProgress: (stage) => out.progress(stage),
    });
    printBuild(out, built);
    out.result(built);
  });

function printBuild(out: Output, built: { packageDir: string; files: number; skipped: boolean; ms: number }): void {
  const dist = path.relative(process.cwd(), path.join(built.packageDir, 'dist'));
  if (built.skipped) out.info(`${dist} is ${out.paint('green', 'up to date')} with the sources (--force rebuilds)`);
  else out.info(`built ${built.files} files (ESM, CommonJS, declarations) into ${dist} in ${built.ms} ms`);
}

program
  .command('pack')
  .description('Generate if stale, build, and pack the package with npm into a tarball other projects can install.')
  .option('-o, --out <dir>', 'directory for the tarball', '.')
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (tarball path and size)')
  .addHelpText(
    'after',
    '\nExample:\n  $ alma-codegen pack --out dist-packages && npm install ./dist-packages/alma-client-0.1.0.tgz',
  )
  .action(async (options: { out: string; quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const packed = await pack({ config: config(), out: options.out, onProgress: (stage) => out.progress(stage) });
    printBuild(out, packed);
    out.info(`${path.relative(process.cwd(), packed.tarball)} (${Math.round(packed.size / 1024)} kB)`);
    out.result(packed);
  });

program
  .command('sync')
  .description(
    'Download every area spec and, recursively, every schema file and XSD they use into specs/cache, and record them in specs/alma.lock.json.',
  )
  .option('--from <url-or-dir>', "download from this base URL or directory instead of the areas' URLs")
  .option('-q, --quiet', 'print nothing but errors')
  .option('--json', 'print the result as JSON (changed, not modified, absent files)')
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen sync\n  $ alma-codegen sync --from ./mirror --json\n  $ ALMA_SPECS_DIR=specs/cache alma-codegen generate',
  )
  .action(async (options: { from?: string; quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const result = await sync({
      config: config(),
      ...(options.from ? { from: options.from } : {}),
      onProgress: (stage) => out.progress(stage),
    });
    out.info(
      `${result.files} files in the cache: ${result.changed.length} new or changed, ${result.notModified.length} not modified, ${result.absent.length} referenced but absent on the server (generation falls back for those)`,
    );
    if (result.changed.length)
      out.info(`changed: ${result.changed.join(', ')}\nrun \`alma-codegen diff\` to see what it means for the client`);
    out.result(result);
  });

program
  .command('check')
  .description(
    'Exit non-zero when the generated output is stale against the specs or the configuration (for prebuild scripts and CI).',
  )
  .option('-q, --quiet', 'print nothing; the exit code tells')
  .option('--json', 'print { upToDate, reasons } as JSON')
  .addHelpText('after', '\nExample, in a consumer\'s package.json:\n  "prebuild": "alma-codegen check"')
  .action((options: { quiet?: boolean; json?: boolean }) => {
    const out = createOutput(options);
    const state = check({ config: config() });
    out.result(state);
    if (state.upToDate) {
      out.info(`the generated client is ${out.paint('green', 'up to date')}`);
      return;
    }
    if (!options.quiet && !options.json)
      console.error(
        `${errorPrefix()} the generated client is stale:\n${state.reasons.map((r) => `  - ${r}`).join('\n')}\n  fix: run \`alma-codegen generate\` (and \`alma-codegen diff\` to see what changed)`,
      );
    process.exitCode = 1;
  });

program
  .command('bundle')
  .description('Write self-contained copies of the area specs, every schema $ref resolved into components/schemas.')
  .requiredOption('-o, --out <dir>', 'output directory')
  .addHelpText('after', '\nExample:\n  $ alma-codegen bundle --out .tmp/bundled')
  .action(async (options: { out: string }) => {
    const { bundleSpecs } = await import('./load/bundle.js');
    const written = await bundleSpecs(config(), path.resolve(options.out));
    console.log(`bundled ${written.length} specs into ${options.out}`);
  });

program
  .command('convert')
  .description(
    "Convert an Alma record between XML and JSON, as Alma's own JSON API would (stdin to stdout by default).",
  )
  .option(
    '-t, --type <schema>',
    'the record type, as Ex Libris names the schema (rest_user, rest_bib); inferred from the root element of XML',
  )
  .option('--to <format>', 'json or xml')
  .option('--list-types', 'list the record types known')
  .option('--max-size <MiB>', 'the largest XML input read, in MiB (default 32)')
  .argument('[file]', 'the record to convert (default: stdin)')
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen convert --to json user.xml > user.json\n  $ alma-codegen convert --type rest_user --to xml user.json',
  )
  .action(
    async (
      file: string | undefined,
      options: { type?: string; to?: string; listTypes?: boolean; maxSize?: string },
    ) => {
      const { loadCodecTypes } = await import('./convert/codec-types.js');
      const { convertRecord } = await import('./convert/convert.js');
      const types = loadCodecTypes(config());
      if (options.listTypes) {
        console.log(types.names().join('\n'));
        return;
      }
      if (options.to !== 'json' && options.to !== 'xml')
        throw new UsageError('convert needs the format to convert to', 'pass --to json or --to xml');
      const maxSize = options.maxSize === undefined ? undefined : Number(options.maxSize);
      if (maxSize !== undefined && !(maxSize > 0))
        throw new UsageError(`--max-size must be a number of MiB, got "${options.maxSize}"`, 'pass e.g. --max-size 64');
      const { readInput } = await import('./convert/read-input.js');
      const input = await readInput(file, Math.round((maxSize ?? 32) * 1024 * 1024));
      try {
        // Progress on a terminal for inputs of a few MB and more: they take seconds.
        if (input.length > 4 * 1024 * 1024 && process.stderr.isTTY)
          process.stderr.write(`converting ${(input.length / 1024 / 1024).toFixed(0)} MB…\r`);
        const { output, typeUsed } = convertRecord(
          {
            input,
            to: options.to,
            ...(options.type ? { type: options.type } : {}),
            ...(maxSize !== undefined ? { maxDocumentBytes: Math.round(maxSize * 1024 * 1024) } : {}),
          },
          types,
        );
        if (input.length > 4 * 1024 * 1024 && process.stderr.isTTY) process.stderr.write('\u001b[2K');
        if (!typeUsed) console.error('note: no schema knows this root element: converted by the generic rules');
        process.stdout.write(output);
      } catch (error) {
        const { XmlCodecError, XmlSyntaxError } = await import('../runtime/xml/index.js');
        if (error instanceof XmlSyntaxError || error instanceof XmlCodecError) {
          const tooBig = /maxDocumentBytes/.test(error.message);
          throw new UsageError(
            `${file ?? 'stdin'}: ${tooBig ? 'the record is over the size limit' : error.message}`,
            tooBig ? 'pass a larger --max-size <MiB> (default 32)' : 'correct the record (line and column above)',
          );
        }
        throw error;
      }
    },
  );

program
  .command('probe')
  .description(
    "What an API key may do in each area (read-write, read-only, none) and which environment it reaches, with each area's test operations (at most two calls an area). The key comes from ALMA_API_KEY.",
  )
  .option('--region <region>', 'the region: na, eu, ap, aps, ca, cn')
  .option('--base-url <url>', 'a base URL instead (a proxy, the mock)')
  .option('--json', 'print the report as JSON')
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen probe --region eu            (the key from ALMA_API_KEY)\n  $ alma-codegen probe --base-url http://127.0.0.1:8079 --json',
  )
  .action(async (options: { region?: string; baseUrl?: string; json?: boolean }) => {
    const out = createOutput(options);
    const report = await probe({ config: config(), ...options });
    out.result(report);
    if (!options.json) {
      const { formatAccessReport } = await import('../runtime/helpers/probe.js');
      console.log(formatAccessReport(report));
    }
  });

program
  .command('mock')
  .description(
    'Serve an Alma-like API from the specs, with state, keys, thresholds and faults (settings: the mock section of the config).',
  )
  .option('-p, --port <port>', 'port to listen on, 0 for any free one (default: mock.port, else 8079)')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .addHelpText(
    'after',
    '\nExample:\n  $ alma-codegen mock --port 8079\n  $ curl -H "Authorization: apikey mock-key" -H "Accept: application/json" http://127.0.0.1:8079/almaws/v1/users/user1',
  )
  .action(async (options: { port?: string; host: string }) => {
    const loaded = config();
    const port = options.port !== undefined ? Number(options.port) : (loaded.mock.port ?? 8079);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(
        `--port must be a port number from 0 to 65535, got "${options.port}"`,
        'pass --port 8079, or --port 0 for any free port',
      );
    const { startMockServer } = await import('../mock/server.js');
    const server = await startMockServer({ config: loaded, port, host: options.host }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE')
          throw new UsageError(
            `port ${port} on ${options.host} is already in use`,
            'stop what listens there, or pass --port 0 for any free port',
          );
        if (error.code === 'EACCES')
          throw new UsageError(`no permission to listen on port ${port}`, 'choose a port above 1023, or --port 0');
        throw error;
      },
    );
    console.log(server.banner);
    await new Promise<void>((resolve) => process.once('SIGINT', () => void server.close().then(resolve)));
  });

program
  .command('diff')
  .description(
    'Report what changed between two spec states: operations, parameters, types, fields, error codes; breaking changes marked.',
  )
  .option('--old <dir>', 'the earlier specs (default: specs/previous, the specs the last sync replaced)')
  .option(
    '--new <dir>',
    'the later specs (default: specs/cache, what the last sync downloaded; else the configured folder)',
  )
  .option('--json', 'print the report as JSON')
  .addOption(
    new Option('--fail-on <kind>', 'exit 1 when a change of this kind is found (for CI)').choices(['breaking', 'any']),
  )
  .addHelpText(
    'after',
    '\nExamples:\n  $ alma-codegen sync && alma-codegen diff\n  $ alma-codegen diff --old ../specs-2026-10 --new ../shared/alma-openapi --fail-on breaking',
  )
  .action(async (options: { old?: string; new?: string; json?: boolean; failOn?: 'breaking' | 'any' }) => {
    const result = await diff({
      config: config(),
      ...(options.old ? { old: options.old } : {}),
      ...(options.new ? { new: options.new } : {}),
    });
    const { formatChanges } = await import('./specs/diff.js');
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatChanges(result.changes));
    if (
      (options.failOn === 'breaking' && result.breaking > 0) ||
      (options.failOn === 'any' && result.changes.length > 0)
    ) {
      if (!options.json)
        console.error(
          `${errorPrefix()} ${options.failOn === 'breaking' ? `${result.breaking} breaking change(s)` : `${result.changes.length} change(s)`} (--fail-on ${options.failOn})`,
        );
      process.exitCode = 1;
    }
  });

function errorPrefix(): string {
  return paint('red', 'alma-codegen:', colourEnabled(process.stderr));
}

/** A failure as the user sees it: one message with what to do (or a JSON document with --json), never a stack. */
function report(error: unknown): void {
  const known = error instanceof AlmaCodegenError ? error : EnvironmentError.from(error, 'write');
  process.exitCode = 1;
  if (!known) {
    // Not a user mistake: the stack helps whoever fixes it.
    console.error(
      `${errorPrefix()} unexpected error; please report it with the lines below\n${(error as Error)?.stack ?? String(error)}`,
    );
    return;
  }
  if (jsonOutput) process.stdout.write(`${JSON.stringify({ error: known.toJSON() }, null, 2)}\n`);
  else console.error(`${errorPrefix()} ${known.message}`);
}

// A reader that goes away (`| head -1`) ends the output, not the process with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  report(error);
}
