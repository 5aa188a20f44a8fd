import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { EmittedPackage, ModuleReuse } from '../emit/package.js';
import { mergeFragments, type OpenapiFragment } from '../emit/openapi/fragments.js';
import { fragmentKeys } from './fragment-keys.js';
import { hashFile } from '../base/hash.js';
import { CACHE_DIR, readRecordedText, type RecordedFile } from '../base/recorded.js';
import { SecondThread } from './second-thread.js';
import { buildModel } from '../ir/build.js';
import type { ApiModel } from '../ir/model.js';
import { DocumentStore } from '../load/documents.js';
import { generatorVersion, packageDirOf } from '../base/tool.js';
import {
  buildManifest,
  MANIFEST_FILE,
  readManifest,
  readToolSources,
  type Manifest,
  type ToolSources,
} from './manifest.js';
import { PARSED_CACHE_FILE } from './parsed-cache.js';
import { SLICE_CACHE_DIR } from './slice-cache.js';
import { writeChangedFiles } from './write.js';
import { lockOutput, recoverLitter } from './lock.js';
import { EnvironmentError } from '../errors.js';

export interface GenerateResult {
  config: Config;
  model: ApiModel;
  emitted: EmittedPackage;
  packageDir: string;
}

/** The steps of a generation, in order, as `onProgress` names them beside its text. */
export type Stage = 'model' | 'emit' | 'openapi' | 'write';
export type OnProgress = (text: string, stage: Stage) => void;

const OPENAPI_CACHE_DIR = `${CACHE_DIR}/openapi`;
const PRINTED_CACHE_DIR = `${CACHE_DIR}/printed`;

/** What an earlier output offers a generation: its manifest and its folder (nothing with `force`). */
interface Previous {
  manifest: Manifest;
  packageDir: string;
}

/** Loads, models and emits; writes nothing and runs no openapi-typescript. */
export async function generateInMemory(
  config: Config,
  sources: ToolSources = readToolSources(),
  onProgress?: OnProgress,
): Promise<Omit<GenerateResult, 'packageDir'>> {
  onProgress?.(`reading the specs in ${config.specDir} and building the model`, 'model');
  const model = buildModel(config, new DocumentStore(config.specDir));
  return {
    config,
    model,
    emitted: await emit(config, model, sources, generatorCodeHash(), undefined, onProgress, await loadEmitter()),
  };
}

/**
 * The emitter, loaded when it is needed, not at the top: with ts-morph it takes a few hundred milliseconds, which a
 * generation spends while the model is built on the other thread, and a run that finds nothing changed never spends.
 */
function loadEmitter(): Promise<typeof import('../emit/package.js')> {
  return import('../emit/package.js');
}

async function emit(
  config: Config,
  model: ApiModel,
  sources: ToolSources,
  codeHash: string,
  previous: Previous | undefined,
  onProgress: OnProgress | undefined,
  { emitPackage }: typeof import('../emit/package.js'),
): Promise<EmittedPackage> {
  onProgress?.(`emitting ${model.areas.reduce((n, a) => n + a.operations.length, 0)} operations`, 'emit');
  return emitPackage({
    model,
    packageName: config.output.packageName,
    packageVersion: config.output.packageVersion,
    generatorVersion: generatorVersion(),
    openapiTypes: config.output.openapiTypes,
    ...sources,
    codeHash,
    ...(previous ? { reuse: moduleReuse(previous) } : {}),
  });
}

/**
 * Everything the package holds: the modules, and openapi-typescript's `paths` when configured. The model is built on
 * a second thread while this one loads ts-morph, and that thread then makes the paths fragments while this one emits
 * the modules. With an earlier output, modules and openapi fragments whose inputs are unchanged are
 * taken from it (the same bytes a full generation gives: see `ModuleReuse` and `emit/openapi/fragments.ts`).
 */
export async function generateFiles(
  config: Config,
  sources: ToolSources = readToolSources(),
  onProgress?: OnProgress,
  previous?: Previous,
  thread?: SecondThread,
): Promise<Omit<GenerateResult, 'packageDir'>> {
  // Started first (by the caller, as early as it can).
  const second = thread ?? new SecondThread();
  try {
    onProgress?.(`reading the specs in ${config.specDir} and building the model`, 'model');
    const codeHash = generatorCodeHash();
    const parses = previous && recorded(previous, PARSED_CACHE_FILE);
    const slices: Record<string, RecordedFile> = {};
    for (const { name } of config.areas) {
      const file = previous && recorded(previous, sliceFile(name));
      if (file) slices[name] = file;
    }
    const cached = { slices, ...(parses ? { parses } : {}) };
    const openapiTypes = config.output.openapiTypes;
    const built = second.model({ config, codeHash, openapiTypes, ...cached });
    // Awaited after ts-morph's load; a failure before then is not unhandled meanwhile.
    built.catch(() => undefined);
    const emitter = loadEmitter();
    const { model, parses: parsesNow, slices: slicesNow, read } = await built;
    const fragments = openapiTypes ? openapiFragments(second, config, model, codeHash, previous) : undefined;
    fragments?.catch(() => undefined);
    const emitted = await emit(config, model, sources, codeHash, previous, onProgress, await emitter);
    emitted.rendered.unshift(...read.map((area) => `model (${area})`));
    const files = new Map(emitted.files);
    for (const [module, text] of Object.entries(emitted.printed)) files.set(printedFile(module), text);
    files.set(PARSED_CACHE_FILE, parsesNow);
    for (const [area, text] of Object.entries(slicesNow)) files.set(sliceFile(area), text);
    if (fragments) {
      onProgress?.('writing the openapi-typescript paths types', 'openapi');
      const made = await fragments;
      files.set('src/openapi.ts', mergeFragments(made.map((f) => f.fragment)));
      for (const { area, text } of made) files.set(`${OPENAPI_CACHE_DIR}/${area}.json`, text);
      emitted.rendered.push(...made.filter((f) => f.made).map((f) => `src/openapi.ts (${f.area})`));
    }
    return { config, model, emitted: { ...emitted, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))) } };
  } finally {
    await second.close();
  }
}

function printedFile(module: string): string {
  return `${PRINTED_CACHE_DIR}/${module}.json`;
}

function sliceFile(area: string): string {
  return `${SLICE_CACHE_DIR}/${area}.json`;
}

/** Each area's fragment of `src/openapi.ts`, in area order: from the last output where its key is unchanged, else made on the thread. */
function openapiFragments(
  thread: SecondThread,
  config: Config,
  model: ApiModel,
  codeHash: string,
  previous: Previous | undefined,
): Promise<{ area: string; fragment: OpenapiFragment; text: string; made: boolean }[]> {
  const keys = fragmentKeys(model, config.specDir, codeHash);
  const cached = new Map<string, { fragment: OpenapiFragment; text: string }>();
  const outdated: Record<string, OpenapiFragment> = {};
  for (const { name } of config.areas) {
    const file = previous && recorded(previous, `${OPENAPI_CACHE_DIR}/${name}.json`);
    const text = file && readRecordedText(file);
    const fragment = text === undefined ? undefined : (JSON.parse(text) as OpenapiFragment);
    if (fragment && fragment.key === keys[name]) cached.set(name, { fragment, text: text! });
    else if (fragment && Array.isArray(fragment.units)) outdated[name] = fragment;
  }
  const missing = config.areas.filter((a) => !cached.has(a.name)).map((a) => a.name);
  const made = missing.length
    ? thread.fragments({ areas: missing, keys, codeHash, previous: outdated })
    : Promise.resolve([]);
  return made.then((fresh) => {
    const byArea = new Map([
      ...cached,
      ...fresh.map((f) => [f.area, { fragment: f.fragment, text: JSON.stringify(f.fragment) }] as const),
    ]);
    return config.areas.map(({ name }) => ({ area: name, ...byArea.get(name)!, made: !cached.has(name) }));
  });
}

/** A cache file of the last output and the hash its manifest recorded for it, if it recorded one. */
function recorded({ manifest, packageDir }: Previous, file: string): RecordedFile | undefined {
  const hash = manifest.files[file];
  return hash ? { file: path.join(packageDir, file), hash } : undefined;
}

/**
 * The main job: specs → IR → package. A new output is written aside and swapped in; an existing one is updated
 * with only the files whose content changed written anew, and swapped in whole (see `writeChangedFiles`). Unless
 * `force`, what did not change since the last generation is not made again.
 */
export async function generate(
  config: Config,
  onProgress?: OnProgress,
  options: { force?: boolean; secondThread?: SecondThread } = {},
): Promise<GenerateResult & { written: string[] }> {
  const sources = readToolSources();
  const packageDir = packageDirOf(config);
  // One run at a time writes an output; what killed runs left beside it is recovered or removed first.
  const release = await lockOutput(packageDir);
  try {
    recoverLitter(packageDir);
    return await generateLocked(config, sources, packageDir, onProgress, options);
  } finally {
    await release();
  }
}

async function generateLocked(
  config: Config,
  sources: ToolSources,
  packageDir: string,
  onProgress: OnProgress | undefined,
  options: { force?: boolean; secondThread?: SecondThread },
): Promise<GenerateResult & { written: string[] }> {
  const manifest = readManifest(packageDir);
  const result = await generateFiles(
    config,
    sources,
    onProgress,
    manifest && !options.force ? { manifest, packageDir } : undefined,
    options.secondThread,
  );
  const files = new Map(result.emitted.files);
  const built = buildManifest(config, result.model, files, sources, result.emitted.moduleKeys);
  files.set(MANIFEST_FILE, `${JSON.stringify(built, null, 2)}\n`);
  onProgress?.(`writing ${packageDir}`, 'write');
  const written = await writeChangedFiles(
    packageDir,
    files,
    Object.keys(manifest?.files ?? {}).concat(manifest ? [MANIFEST_FILE] : []),
  ).catch((error: unknown) => {
    // A file-system error names the folder the user configured, not the staging folder it happened in.
    throw EnvironmentError.from(error, 'write', packageDir) ?? error;
  });
  return { ...result, packageDir, written };
}

function moduleReuse({ manifest, packageDir }: Previous): ModuleReuse {
  const text = (file: string) => {
    const full = path.join(packageDir, file);
    // Edited by hand since: rendered again. (Hashed once per run: the staleness check did it already.)
    return hashFile(full) === manifest.files[file] ? readFileSync(full, 'utf8') : undefined;
  };
  return { keys: manifest.modules ?? {}, text, printed: (module) => text(printedFile(module)) };
}

/** The generator's own code (this folder, compiled or not): a module made by other code is not reused. */
function generatorCodeHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        hash.update(entry.name).update(readFileSync(full));
    }
  };
  // The whole generator folder: this file is in its pipeline/.
  walk(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
  return hash.digest('hex');
}
