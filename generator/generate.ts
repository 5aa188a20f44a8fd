import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { emitPackage, type EmittedPackage } from './emit/package.js';
import { buildModel } from './ir/build.js';
import type { ApiModel } from './ir/model.js';
import { DocumentStore } from './load/documents.js';
import { writeDirectoryAtomically } from './write.js';

/** The alma-codegen installation: where `runtime/` and `templates/` are. */
export const TOOL_ROOT = findToolRoot(path.dirname(fileURLToPath(import.meta.url)));

function findToolRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'templates')) && existsSync(path.join(dir, 'runtime'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`alma-codegen is incomplete: no templates/ and runtime/ above ${from}`);
  }
}

export function generatorVersion(): string {
  return (JSON.parse(readFileSync(path.join(TOOL_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The runtime's TypeScript sources, by path relative to `runtime/`, sorted. */
export function readRuntimeFiles(dir = path.join(TOOL_ROOT, 'runtime')): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files[rel] = readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return files;
}

export function readTemplates(dir = path.join(TOOL_ROOT, 'templates')): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .sort()
      .map((f) => [f.replace(/\.hbs$/, ''), readFileSync(path.join(dir, f), 'utf8')]),
  );
}

export interface GenerateResult {
  config: Config;
  model: ApiModel;
  emitted: EmittedPackage;
  packageDir: string;
}

/** Loads, models and emits; writes nothing. */
export function generateInMemory(config: Config): Omit<GenerateResult, 'packageDir'> {
  const model = buildModel(config, new DocumentStore(config.specDir));
  const emitted = emitPackage({
    model,
    packageName: config.output.packageName,
    packageVersion: config.output.packageVersion,
    generatorVersion: generatorVersion(),
    runtimeFiles: readRuntimeFiles(),
    templates: readTemplates(),
  });
  return { config, model, emitted };
}

/** The output folder of the package: `<output.dir>/<package name without scope>`. */
export function packageDirOf(config: Config): string {
  return path.join(config.output.dir, config.output.packageName.replace(/^@[^/]+\//, ''));
}

/** The main job: specs → IR → package, swapped into place atomically. */
export async function generate(configFile?: string): Promise<GenerateResult> {
  const config = loadConfig(configFile);
  const result = generateInMemory(config);
  const packageDir = packageDirOf(config);
  await writeDirectoryAtomically(packageDir, result.emitted.files);
  return { ...result, packageDir };
}
