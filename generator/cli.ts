import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, loadConfig } from './config.js';
import { GeneratorError } from './errors.js';
import { generate, generatorVersion } from './generate.js';
import { bundleSpecs } from './bundle.js';
import { summaryTable } from './report.js';

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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof GeneratorError) {
    console.error(`alma-codegen: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
