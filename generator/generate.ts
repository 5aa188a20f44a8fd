import type { Config } from './config.js';
import { emitPackage, type EmittedPackage } from './emit/package.js';
import { buildModel } from './ir/build.js';
import type { ApiModel } from './ir/model.js';
import { DocumentStore } from './load/documents.js';
import { generatorVersion, packageDirOf } from './tool.js';
import { buildManifest, MANIFEST_FILE, readManifest, readToolSources, type ToolSources } from './manifest.js';
import { writeChangedFiles } from './write.js';

export { generatorVersion, packageDirOf, readRuntimeFiles, readTemplates, TOOL_ROOT } from './tool.js';

export interface GenerateResult {
  config: Config;
  model: ApiModel;
  emitted: EmittedPackage;
  packageDir: string;
}

/** The steps of a generation, in order, as `onProgress` names them beside its text. */
export type Stage = 'model' | 'emit' | 'openapi' | 'write';
export type OnProgress = (text: string, stage: Stage) => void;

/** Loads, models and emits; writes nothing. */
export function generateInMemory(config: Config, sources: ToolSources = readToolSources(), onProgress?: OnProgress): Omit<GenerateResult, 'packageDir'> {
  onProgress?.(`reading the specs in ${config.specDir} and building the model`, 'model');
  const model = buildModel(config, new DocumentStore(config.specDir));
  onProgress?.(`emitting ${model.areas.reduce((n, a) => n + a.operations.length, 0)} operations`, 'emit');
  const emitted = emitPackage({
    model,
    packageName: config.output.packageName,
    packageVersion: config.output.packageVersion,
    generatorVersion: generatorVersion(),
    openapiTypes: config.output.openapiTypes,
    ...sources,
  });
  return { config, model, emitted };
}

/** Everything the package holds: what `generateInMemory` emits, and openapi-typescript's `paths` when configured. */
export async function generateFiles(config: Config, sources: ToolSources = readToolSources(), onProgress?: OnProgress): Promise<Omit<GenerateResult, 'packageDir'>> {
  const result = generateInMemory(config, sources, onProgress);
  if (!config.output.openapiTypes) return result;
  onProgress?.('writing the openapi-typescript paths types', 'openapi');
  const { openapiTypes } = await import('./emit/openapi.js');
  const files = new Map(result.emitted.files);
  files.set('src/openapi.ts', await openapiTypes(config, result.model, new DocumentStore(config.specDir)));
  return { ...result, emitted: { ...result.emitted, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))) } };
}

/**
 * The main job: specs → IR → package. A new output is written aside and swapped in; an existing one is updated
 * with only the files whose content changed written anew, and swapped in whole (see `writeChangedFiles`).
 */
export async function generate(config: Config, onProgress?: OnProgress): Promise<GenerateResult & { written: string[] }> {
  const sources = readToolSources();
  const result = await generateFiles(config, sources, onProgress);
  const packageDir = packageDirOf(config);
  const previous = readManifest(packageDir);
  const files = new Map(result.emitted.files);
  const manifest = buildManifest(config, result.model, files, sources);
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  onProgress?.(`writing ${packageDir}`, 'write');
  const written = await writeChangedFiles(packageDir, files, Object.keys(previous?.files ?? {}).concat(previous ? [MANIFEST_FILE] : []));
  return { ...result, packageDir, written };
}
