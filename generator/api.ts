import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Change } from './specs/diff.js';
import { loadConfig, type Config } from './config.js';
import { UsageError } from './errors.js';
import { staleness } from './pipeline/manifest.js';
import type { GenerationReport } from './emit/report.js';
import { packageDirOf } from './base/tool.js';
import { specFolders as foldersBeside, type SpecFolders } from './specs/layout.js';

/**
 * alma-codegen as a library, for build tools (a Vite or Nx plugin, an npm script): each function returns the data the
 * CLI prints with `--json` and throws `AlmaCodegenError`s (file, location, fix) for anything a user can mend. Heavy
 * modules (ts-morph, the compiler) load only when a function needs them.
 */

/** A configuration file's path (found upward from the working folder when absent), or a loaded configuration. */
export interface ConfigOption {
  config?: string | Config;
}

function configOf(options: ConfigOption): Config {
  return typeof options.config === 'object' ? options.config : loadConfig(options.config);
}

export interface GenerateOptions extends ConfigOption {
  /** Regenerate even when no input changed. */
  force?: boolean;
  /** Called with each stage of a long run. */
  onProgress?: (stage: string) => void;
}

export interface GenerateResult {
  packageDir: string;
  /** Nothing changed: nothing was written. */
  upToDate: boolean;
  operations?: number;
  /** Operations with a body, and those of them whose every body is typed. */
  withBodies?: number;
  fullyTyped?: number;
  bodies?: GenerationReport['totals']['bodies'];
  untypedSchemas?: string[];
  /** Files written, relative to `packageDir`, out of `files` generated. */
  written: string[];
  files?: number;
  unchangedAreas?: string[];
  specDir?: string;
  ms: number;
  /** The whole report (also written as `generation-report.json`); absent when up to date. */
  report?: GenerationReport;
  /**
   * Where the time went, in ms: loading the generator, reading the specs into the model, emitting (with loading
   * ts-morph), waiting for openapi-typescript's paths types (made on another thread meanwhile), writing.
   */
  timings?: { load: number; model: number; emit: number; openapi?: number; write: number };
  /** What was made this time (areas' models, modules, areas' paths types); the rest was taken from the last output. */
  rendered?: string[];
}

/**
 * Makes sure some spec is there before generating: with none at all in the default spec cache (a fresh clone without
 * ../shared), `sync` runs first; when it cannot reach Ex Libris, one message says where generation looked and the
 * one command that gets the specs.
 */
async function specsAtHand(config: Config, onProgress?: (text: string) => void): Promise<void> {
  const { areaSpecFile } = await import('./load/documents.js');
  if (config.areas.some((a) => existsSync(areaSpecFile(config.specDir, a.name)))) return;
  const looked =
    config.specDirSource === 'default-cache'
      ? `${path.resolve(path.dirname(config.file), '../shared/alma-openapi')} (absent) and ${config.specDir} (empty)`
      : `${config.specDir} (${config.specDirSource === 'env' ? 'ALMA_SPECS_DIR' : 'specDir in the configuration'})`;
  if (config.specDirSource !== 'default-cache')
    throw new UsageError(
      `no Alma spec found in ${looked}`,
      'point it at a folder holding <area>.json, or run `alma-codegen sync`',
    );
  onProgress?.(`no specs in ${config.specDir}: downloading them from Ex Libris (alma-codegen sync)`);
  try {
    await sync({ config });
  } catch (error) {
    throw new UsageError(
      `no Alma specs found: looked in ${looked}, and downloading them failed (${(error as Error).message.split('\n')[0]})`,
      'run `alma-codegen sync` where Ex Libris can be reached (or `alma-codegen sync --from DIR` from a copy), then generate again',
    );
  }
}

/** Generates the client package from the specs; leaves it alone when no input changed (unless `force`). */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const config = configOf(options);
  const started = performance.now();
  const packageDir = packageDirOf(config);
  if (!options.force && staleness(config, packageDir).upToDate)
    return { packageDir, upToDate: true, written: [], ms: Math.round(performance.now() - started) };
  await specsAtHand(config, options.onProgress);
  const loading = performance.now();
  // Started first: it builds the model beside ts-morph's load, then makes the paths types beside the emit.
  const secondThread = new (await import('./pipeline/second-thread.js')).SecondThread();
  // Each stage lasts from its start to the next one's.
  const marks: [stage: string, at: number][] = [['load', loading]];
  const result = await import('./pipeline/generate.js')
    .then(({ generate: generateOutput }) =>
      generateOutput(
        config,
        (text, stage) => {
          marks.push([stage, performance.now()]);
          options.onProgress?.(text);
        },
        { force: options.force ?? false, secondThread },
      ),
    )
    // A thread left running would keep the process alive.
    .finally(() => secondThread.close());
  marks.push(['end', performance.now()]);
  const timings = Object.fromEntries(
    marks.slice(0, -1).map(([name, at], i) => [name, Math.round(marks[i + 1]![1] - at)]),
  ) as NonNullable<GenerateResult['timings']>;
  const { report } = result.emitted;
  return {
    packageDir,
    upToDate: false,
    operations: report.totals.operations,
    withBodies: report.totals.withBodies,
    fullyTyped: report.totals.fullyTyped,
    bodies: report.totals.bodies,
    untypedSchemas: report.schemas.filter((s) => s.source === 'untyped').map((s) => s.tsName),
    written: result.written,
    files: result.emitted.files.size + 1,
    unchangedAreas: config.areas.map((a) => a.name).filter((area) => !result.written.includes(`src/${area}.ts`)),
    rendered: result.emitted.rendered,
    specDir: config.specDir,
    ms: Math.round(performance.now() - started),
    timings,
    report,
  };
}

export interface CheckResult {
  upToDate: boolean;
  /** Why the output is stale, one line each. */
  reasons: string[];
}

/** Whether the generated output is up to date with the specs and the configuration (and was not edited by hand). */
export function check(options: ConfigOption = {}): CheckResult {
  const config = configOf(options);
  const { upToDate, reasons } = staleness(config, packageDirOf(config));
  return { upToDate, reasons };
}

export interface SyncApiOptions extends ConfigOption {
  /** A base URL or a folder laid out like Ex Libris' instead of the areas' URLs. */
  from?: string;
  onProgress?: (stage: string) => void;
}

export interface SyncApiResult {
  files: number;
  changed: string[];
  notModified: string[];
  absent: string[];
  /** The folder the specs were downloaded into, and the one the replaced specs were kept in. */
  cacheDir: string;
  previousDir: string;
}

/** Downloads every spec, schema file and XSD into `specs/cache` beside the configuration (see README). */
export async function sync(options: SyncApiOptions = {}): Promise<SyncApiResult> {
  const config = configOf(options);
  const { syncSpecs } = await import('./specs/sync.js');
  const result = await syncSpecs({
    config,
    ...(options.from ? { from: options.from } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const { cacheDir, previousDir } = specFolders(config);
  return {
    files: Object.keys(result.lock.files).length,
    changed: result.changed,
    notModified: result.notModified,
    absent: result.absent,
    cacheDir,
    previousDir,
  };
}

/** Where `sync` keeps the downloaded specs, the ones it replaced, and the lock file. */
export function specFolders(config: Config): SpecFolders {
  return foldersBeside(config.file);
}

export interface DiffOptions extends ConfigOption {
  /** Default: the specs the last `sync` replaced (`specs/previous`). */
  old?: string;
  /** Default: the specs the last `sync` downloaded (`specs/cache`) when there are both; else the configured folder. */
  new?: string;
}

export interface DiffResult {
  old: string;
  new: string;
  changes: Change[];
  /** How many of the changes may break code written against the old package. */
  breaking: number;
}

/** What changed between two spec states, for users of the generated package. */
export async function diff(options: DiffOptions = {}): Promise<DiffResult> {
  const config = configOf(options);
  const { cacheDir, previousDir } = specFolders(config);
  const old = path.resolve(options.old ?? previousDir);
  const after = path.resolve(
    options.new ?? (options.old === undefined && existsSync(cacheDir) ? cacheDir : config.specDir),
  );
  if (!existsSync(old))
    throw new UsageError(
      `${old} does not exist`,
      'run `alma-codegen sync` (it keeps the specs it replaces in specs/previous), or pass --old <dir>',
    );
  if (!existsSync(after)) throw new UsageError(`${after} does not exist`, 'pass --new <dir> with the later specs');
  const { buildModel } = await import('./ir/build.js');
  const { DocumentStore } = await import('./load/documents.js');
  const { changeReport } = await import('./specs/diff.js');
  const model = (dir: string) => buildModel(config, new DocumentStore(dir));
  const changes = changeReport(model(old), model(after));
  return { old, new: after, changes, breaking: changes.filter((c) => c.breaking).length };
}

export interface BuildOptions extends ConfigOption {
  /** Compile even when the sources did not change since the last build. */
  force?: boolean;
  onProgress?: (stage: string) => void;
}

export interface BuildResult {
  packageDir: string;
  /** Files in dist/ (0 when the build was skipped). */
  files: number;
  /** The sources had not changed since the last build: nothing was compiled. */
  skipped: boolean;
  ms: number;
}

/** Generates if stale, then compiles the package into `dist/` (ESM and CommonJS with declarations). */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const config = configOf(options);
  await generate({ config, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const started = performance.now();
  const packageDir = packageDirOf(config);
  const { buildPackage } = await import('./pipeline/package-build.js');
  options.onProgress?.('compiling ESM and CommonJS with declarations');
  const { files, skipped } = await buildPackage(packageDir, { force: options.force ?? false });
  return { packageDir, files, skipped, ms: Math.round(performance.now() - started) };
}

export interface PackOptions extends BuildOptions {
  /** Folder for the tarball. Default: the working folder. */
  out?: string;
}

/** Builds the package and packs it with npm into a tarball other projects can install. */
export async function pack(options: PackOptions = {}): Promise<BuildResult & { tarball: string; size: number }> {
  const built = await build(options);
  const { mkdir, stat } = await import('node:fs/promises');
  const { packPackage } = await import('./pipeline/package-build.js');
  const destination = path.resolve(options.out ?? '.');
  await mkdir(destination, { recursive: true });
  options.onProgress?.('npm pack');
  const tarball = await packPackage(built.packageDir, destination);
  return { ...built, tarball, size: (await stat(tarball)).size };
}

export interface ProbeOptions extends ConfigOption {
  /** The region (`na`, `eu`, …) or a base URL: one of them, never a default. */
  region?: string;
  baseUrl?: string;
  /** The API key. Default: the `ALMA_API_KEY` environment variable (never a command-line argument). */
  apiKey?: string;
}

/**
 * What an API key may do in each area of the configured specs (read-write, read-only, none), with their `test`
 * operations (at most two calls an area) and the environment and institution it reaches (`/conf/general`).
 */
export async function probe(options: ProbeOptions = {}): Promise<import('../runtime/helpers/probe.js').AccessReport> {
  const config = configOf(options);
  const apiKey = options.apiKey ?? process.env.ALMA_API_KEY;
  if (!apiKey)
    throw new UsageError(
      'no API key: ALMA_API_KEY is not set',
      'export ALMA_API_KEY=… in the shell (the key is never taken as an argument: it would land in shell history)',
    );
  if (!options.region && !options.baseUrl)
    throw new UsageError('no Alma to probe', 'pass --region (na, eu, ap, aps, ca, cn) or --base-url URL');
  const [{ buildModel }, { DocumentStore }, { createClient }, { probeAccess }] = await Promise.all([
    import('./ir/build.js'),
    import('./load/documents.js'),
    import('../runtime/client.js'),
    import('../runtime/helpers/probe.js'),
  ]);
  const model = buildModel(config, new DocumentStore(config.specDir));
  const descriptor = (op: (typeof model.areas)[number]['operations'][number]) => ({
    name: op.exportName,
    area: op.area,
    method: op.method,
    path: op.path,
    status: op.response.status,
  });
  const tests = model.areas
    .map((area) => {
      const read = area.operations.find((op) => op.keyTest === 'read');
      const write = area.operations.find((op) => op.keyTest === 'write');
      return {
        area: area.name,
        ...(read ? { read: descriptor(read) } : {}),
        ...(write ? { write: descriptor(write) } : {}),
      };
    })
    .filter((t) => t.read || t.write);
  const target = options.baseUrl
    ? { baseUrl: options.baseUrl }
    : { region: options.region as import('../runtime/client.js').Region };
  const client = createClient({ apiKey, ...target, retry: false });
  return probeAccess(client, tests);
}
