import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, loadConfig } from './config.js';
import { GeneratorError } from './errors.js';
import { generate, generatorVersion } from './generate.js';
import { bundleSpecs } from './bundle.js';
import { summaryTable } from './report.js';
import { readFile } from 'node:fs/promises';
import { XmlCodecError } from '../runtime/codec.js';
import { XmlSyntaxError } from '../runtime/internal/xml.js';
import { loadCodecTypes } from './codec-types.js';
import { convertRecord, ConvertError } from './convert.js';
import { startMockServer } from '../mock/server.js';
import { changeReport, formatChanges } from './changes.js';
import { buildModel } from './ir/build.js';
import { DocumentStore } from './load/documents.js';

const program = new Command()
  .name('alma-codegen')
  .description('Generate a typed TypeScript client for the Ex Libris Alma REST APIs from the published OpenAPI specs.')
  .version(generatorVersion())
  .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG_FILE);

program
  .command('generate')
  .description('Generate the client package from the specs (never touches the network).')
  .option('-q, --quiet', 'print nothing but errors')
  .addHelpText('after', '\nExample:\n  $ alma-codegen generate\n  $ ALMA_SPECS_DIR=./specs/cache alma-codegen generate --config alma-codegen.yaml')
  .action(async (options: { quiet?: boolean }) => {
    const started = performance.now();
    const result = await generate(program.opts<{ config: string }>().config);
    if (options.quiet) return;
    const { report } = result.emitted;
    console.log(summaryTable(report));
    for (const d of report.diagnostics.filter((x) => x.kind === 'xsd')) console.log(`note: ${d.file}${d.location ? ` (${d.location})` : ''}: ${d.message}`);
    const untyped = report.schemas.filter((s) => s.source === 'untyped').map((s) => s.tsName);
    if (untyped.length) console.log(`note: ${untyped.length} schemas have neither a JSON schema file nor an XSD in the spec directory and are untyped documents (run \`alma-codegen sync\` for the full set): ${untyped.join(', ')}`);
    console.log(`\n${report.totals.operations} operations, ${result.emitted.files.size} files → ${path.relative(process.cwd(), result.packageDir) || '.'} in ${Math.round(performance.now() - started)} ms (specs from ${result.config.specDir})`);
  });

program
  .command('bundle')
  .description('Write self-contained copies of the area specs, every schema $ref resolved into components/schemas.')
  .requiredOption('-o, --out <dir>', 'output directory')
  .addHelpText('after', '\nExample:\n  $ alma-codegen bundle --out .tmp/bundled')
  .action(async (options: { out: string }) => {
    const config = loadConfig(program.opts<{ config: string }>().config);
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
    const server = await startMockServer({ ...settings, config, port, host: options.host });
    const keys = config.mock.keys ?? [{ key: 'mock-key', plan: 'read-write' as const }];
    console.log(`Alma mock on ${server.url} (${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.map((k) => k.plan ?? 'read-write').join(', ')}; ${config.mock.perSecondLimit ?? 25} calls/s; Ctrl-C stops it)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => void server.close().then(resolve)));
  });

program
  .command('diff')
  .description('Report what changed between two spec directories: operations, parameters, types, fields, error codes; breaking changes marked.')
  .requiredOption('--old <dir>', 'the earlier spec directory')
  .option('--new <dir>', 'the later spec directory (default: the configured one)')
  .option('--json', 'print the report as JSON')
  .addHelpText('after', '\nExample:\n  $ alma-codegen diff --old ../specs-2026-10 --new ../shared/alma-openapi')
  .action((options: { old: string; new?: string; json?: boolean }) => {
    const config = loadConfig(program.opts<{ config: string }>().config);
    const model = (dir: string) => buildModel(config, new DocumentStore(path.resolve(dir)));
    const changes = changeReport(model(options.old), model(options.new ?? config.specDir));
    process.stdout.write(options.json ? `${JSON.stringify(changes, null, 2)}\n` : formatChanges(changes));
  });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof GeneratorError || error instanceof ConvertError) {
    console.error(`alma-codegen: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
