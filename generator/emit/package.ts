import Handlebars from 'handlebars';
import { sha256 } from '../base/hash.js';
import type { ApiModel } from '../ir/model.js';
import { bodyTypes, reachable } from '../ir/walk.js';
import { hasXmlType } from '../ir/xml.js';
import { errorCodesModule } from './error-codes.js';
import { probeModule } from './probe.js';
import { webhooksModule } from './webhooks.js';
import { fitToWidth } from './line-width.js';
import { HEADER, type ModuleContent, moduleFile, renderModule, SHARED_MODULE, xmlModuleFile } from './module.js';
import { PrintedStatements } from './printed.js';
import { buildReport, type GenerationReport } from './report.js';

export interface PackageInputs {
  model: ApiModel;
  packageName: string;
  packageVersion: string;
  generatorVersion: string;
  /** The runtime sources, by path relative to `runtime/`. */
  runtimeFiles: Record<string, string>;
  /** Handlebars templates by output file name (`package.json`, `README.md`, `tsconfig.json`). */
  templates: Record<string, string>;
  /** Whether the package ships `src/openapi.ts` (written by `emit/openapi/`, asynchronously): its export entry. */
  openapiTypes: boolean;
  /** Hash of the generator's own code, part of every module's key (see `moduleKey`). */
  codeHash?: string;
  /** Modules generated before, to take as they are where their key is unchanged. */
  reuse?: ModuleReuse;
}

/**
 * What an earlier generation left: each module's key, and its text when the file is still as generated. A module
 * whose key is unchanged is taken from there instead of being rendered again: the key covers everything rendering
 * reads, so the bytes are the same.
 */
export interface ModuleReuse {
  keys: Record<string, string>;
  text(file: string): string | undefined;
  /** The module's statements as the last generation printed them (`PrintedStatements.toJson`), if kept. */
  printed(module: string): string | undefined;
}

export interface EmittedPackage {
  /** Output path (relative to the package directory) → content, sorted by path. */
  files: Map<string, string>;
  report: GenerationReport;
  /** Each module's key (`src/users.ts` → sha256), for the manifest. */
  moduleKeys: Record<string, string>;
  /** Each module's printed statements (module name → `PrintedStatements.toJson`), for the next generation. */
  printed: Record<string, string>;
  /**
   * What was made this time (the rest was reused): the areas whose model was read (`model (users)`), modules
   * (`src/users.ts`), and the areas whose part of `src/openapi.ts` openapi-typescript made (`src/openapi.ts (users)`).
   */
  rendered: string[];
}

/** Emits the whole package. Pure: the same inputs give the same bytes. */
export function emitPackage(inputs: PackageInputs): EmittedPackage {
  const { model } = inputs;
  const placement = placeSchemas(model);
  const files = new Map<string, string>();
  const moduleKeys: Record<string, string> = {};
  const rendered: string[] = [];
  const printedNow: Record<string, string> = {};
  const modules = packageModules(model, placement);
  for (const module of modules) {
    const file = moduleFile(module.name);
    const key = moduleKey(module, placement, model, inputs.codeHash ?? '');
    moduleKeys[file] = key;
    const printedBefore = inputs.reuse?.printed(module.name);
    const reused = inputs.reuse?.keys[file] === key ? reusedFiles(module, inputs.reuse) : undefined;
    if (reused !== undefined) {
      for (const [name, text] of reused) files.set(name, text);
      if (printedBefore !== undefined) printedNow[module.name] = printedBefore;
      continue;
    }
    rendered.push(file);
    const printed = new PrintedStatements(printedBefore, inputs.codeHash ?? '');
    for (const [name, text] of renderModule(module, placement, model, printed)) files.set(name, text);
    printedNow[module.name] = printed.toJson();
  }
  files.set('src/error-codes.ts', fitToWidth(errorCodesModule(model, HEADER)));
  const probe = probeModule(model, HEADER);
  if (probe) files.set('src/probe.ts', fitToWidth(probe));
  const webhooks = webhooksModule(model, placement, HEADER);
  if (webhooks) files.set('src/webhooks.ts', fitToWidth(webhooks));
  const indexExports = [
    './runtime/index.js',
    './error-codes.js',
    ...(probe ? ['./probe.js'] : []),
    ...modules.map((m) => `./${m.name}.js`),
    ...modules.filter((m) => files.has(xmlModuleFile(m.name))).map((m) => `./xml/${m.name}.js`),
  ];
  files.set('src/index.ts', `${HEADER + indexExports.map((m) => `export * from '${m}';`).join('\n')}\n`);
  for (const [file, content] of Object.entries(inputs.runtimeFiles)) files.set(`src/runtime/${file}`, content);

  const report = buildReport(model, placement, inputs);
  const view = templateView(model, inputs);
  for (const [name, template] of Object.entries(inputs.templates)) {
    files.set(name, Handlebars.compile(template, { noEscape: true, strict: true })(view));
  }
  files.set('generation-report.json', `${JSON.stringify(report, null, 2)}\n`);
  return {
    files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    report,
    moduleKeys,
    printed: printedNow,
    rendered,
  };
}

/**
 * Everything rendering a module reads: its operations and schemas, and every schema they reach with its placement
 * (names, XML mappings, assignability and imports come from those), hashed with the generator's code.
 */
function moduleKey(
  { name, operations, schemas }: ModuleContent,
  placement: Map<string, string>,
  model: ApiModel,
  codeHash: string,
): string {
  const reached = reachable(
    [...schemas.map((s) => s.type), ...operations.flatMap(bodyTypes)],
    model,
    new Set(schemas.map((s) => s.id)),
  );
  const closure = [...reached].sort().map((id) => [placement.get(id), model.schemas[id]]);
  return sha256(JSON.stringify([codeHash, name, operations, closure]));
}

/** The shared module (when some schemas are shared), then one module per area. */
function packageModules(model: ApiModel, placement: Map<string, string>): ModuleContent[] {
  const placed = (module: string) => Object.values(model.schemas).filter((s) => placement.get(s.id) === module);
  const sharedSchemas = placed(SHARED_MODULE);
  return [
    ...(sharedSchemas.length ? [{ name: SHARED_MODULE, operations: [], schemas: sharedSchemas }] : []),
    ...model.areas.map((area) => ({ name: area.name, operations: area.operations, schemas: placed(area.name) })),
  ];
}

/** A module's files as the last generation wrote them, when they are still as generated (else `undefined`). */
function reusedFiles({ name, schemas }: ModuleContent, reuse: ModuleReuse): Map<string, string> | undefined {
  const text = reuse.text(moduleFile(name));
  if (text === undefined) return undefined;
  if (!schemas.some(hasXmlType)) return new Map([[moduleFile(name), text]]);
  const xml = reuse.text(xmlModuleFile(name));
  return xml === undefined
    ? undefined
    : new Map([
        [moduleFile(name), text],
        [xmlModuleFile(name), xml],
      ]);
}

/** Every schema goes to the one area that uses it, or to the shared module when several do. */
export function placeSchemas(model: ApiModel): Map<string, string> {
  const users = new Map<string, Set<string>>();
  for (const area of model.areas) {
    for (const id of reachable(area.operations.flatMap(bodyTypes), model))
      users.set(id, (users.get(id) ?? new Set()).add(area.name));
  }
  const placement = new Map<string, string>();
  for (const id of Object.keys(model.schemas)) {
    const areas = users.get(id);
    placement.set(id, areas && areas.size === 1 ? [...areas][0]! : SHARED_MODULE);
  }
  return placement;
}

function templateView(model: ApiModel, inputs: PackageInputs) {
  return {
    packageName: inputs.packageName,
    packageVersion: inputs.packageVersion,
    generatorVersion: inputs.generatorVersion,
    openapiTypes: inputs.openapiTypes,
    operationCount: model.areas.reduce((n, a) => n + a.operations.length, 0),
    areas: model.areas.map((area) => ({
      name: area.name,
      operationCount: area.operations.length,
      operations: area.operations.map((op) => ({
        exportName: op.exportName,
        method: op.method,
        path: op.path,
        summary: op.summary.replace(/\|/g, '\\|'),
      })),
    })),
  };
}
