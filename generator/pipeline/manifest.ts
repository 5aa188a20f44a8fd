import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hashFile, sha256 } from '../base/hash.js';
import { CACHE_DIR } from '../base/recorded.js';
import path from 'node:path';
import type { Config } from '../config.js';
import type { ApiModel } from '../ir/model.js';
import { bodyTypes, reachable } from '../ir/walk.js';
import { generatorVersion, readRuntimeFiles, readTemplates, SUPPLEMENTARY_FILE } from '../base/tool.js';

/**
 * What an output was generated from: per area, every input file with its sha256 (`missing` for a schema file that
 * was asked for and absent, whose arrival changes the output), plus the configuration and the generator itself.
 * Written into the package as `MANIFEST_FILE`; `generate` skips unchanged areas by it and `check` reads it.
 */
export interface Manifest {
  generator: string;
  /** Hash of the configuration file, the runtime and the templates. */
  tool: string;
  areas: Record<string, Record<string, string>>;
  /** Every output file with its sha256. */
  files: Record<string, string>;
  /** Each module's key (`src/users.ts` → sha256 of all that rendering it reads): unchanged, the module is reused. */
  modules?: Record<string, string>;
}

export const MANIFEST_FILE = '.alma-codegen-manifest.json';

/** What the generator reads besides the specs: the runtime it ships and the templates it fills. */
export interface ToolSources {
  runtimeFiles: Record<string, string>;
  templates: Record<string, string>;
  /** `specs/supplementary.yaml`: operations the specs omit. */
  supplementary: string;
}

export function readToolSources(): ToolSources {
  const supplementary = existsSync(SUPPLEMENTARY_FILE) ? readFileSync(SUPPLEMENTARY_FILE, 'utf8') : '';
  return { runtimeFiles: readRuntimeFiles(), templates: readTemplates(), supplementary };
}

/** The generator's own inputs: configuration, runtime and templates (a change to any regenerates everything). */
export function toolHash(config: Config, sources: ToolSources = readToolSources()): string {
  const parts = [
    generatorVersion(),
    readFileSync(config.file, 'utf8'),
    JSON.stringify(sources.runtimeFiles),
    JSON.stringify(sources.templates),
    sources.supplementary,
  ];
  return sha256(parts.join('\u0000'));
}

/** Per area, the files its output depends on, relative to the spec directory. */
export function areaInputs(model: ApiModel, specDir: string): Record<string, string[]> {
  const xsdDir = path.join(specDir, 'xsd');
  const allXsd = existsSync(xsdDir)
    ? readdirSync(xsdDir)
        .filter((f) => f.endsWith('.xsd'))
        .map((f) => path.join(xsdDir, f))
    : [];
  const inputs: Record<string, string[]> = {};
  for (const area of model.areas) {
    const files = new Set<string>([area.specFile]);
    for (const id of reachable(area.operations.flatMap(bodyTypes), model)) {
      const schema = model.schemas[id];
      if (!schema) continue;
      files.add(schema.file);
      for (const f of schema.fallbackFor ?? []) files.add(f);
      // XSDs include each other: any of them can change a type built from one.
      if (schema.source === 'xsd') for (const f of allXsd) files.add(f);
    }
    inputs[area.name] = [...files].map((f) => path.relative(specDir, f)).sort();
  }
  return inputs;
}

export function buildManifest(
  config: Config,
  model: ApiModel,
  files: Map<string, string>,
  sources: ToolSources,
  modules: Record<string, string> = {},
): Manifest {
  const areas: Manifest['areas'] = {};
  for (const [area, inputs] of Object.entries(areaInputs(model, config.specDir))) {
    areas[area] = Object.fromEntries(inputs.map((f) => [f, hashFile(path.join(config.specDir, f))]));
  }
  return {
    generator: generatorVersion(),
    tool: toolHash(config, sources),
    areas,
    files: Object.fromEntries([...files.entries()].map(([f, c]) => [f, sha256(c)])),
    modules,
  };
}

export function readManifest(packageDir: string): Manifest | undefined {
  const file = path.join(packageDir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export interface Staleness {
  upToDate: boolean;
  /** Why the output is stale, one line each. */
  reasons: string[];
}

/** Compares the current inputs with those the output was generated from, by hashes alone: no model is built. */
export function staleness(config: Config, packageDir: string): Staleness {
  const manifest = readManifest(packageDir);
  const configured = config.areas.map((a) => a.name);
  if (!manifest) return { upToDate: false, reasons: [`no generated output at ${packageDir}`] };
  if (manifest.tool !== toolHash(config))
    return { upToDate: false, reasons: ['the configuration, the runtime or the templates changed'] };
  const reasons: string[] = [];
  for (const area of configured) {
    const recorded = manifest.areas[area];
    if (!recorded) {
      reasons.push(`area ${area} is new`);
      continue;
    }
    const changed = Object.entries(recorded)
      .filter(([file, hash]) => hashFile(path.join(config.specDir, file)) !== hash)
      .map(([file]) => file);
    if (changed.length) {
      reasons.push(
        `${area}: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''} changed`,
      );
    }
  }
  for (const area of Object.keys(manifest.areas))
    if (!configured.includes(area)) reasons.push(`area ${area} was removed from the configuration`);
  for (const [file, hash] of Object.entries(manifest.files)) {
    // The caches are not the package: each is checked against its hash when a generation reads it.
    if (file.startsWith(`${CACHE_DIR}/`)) continue;
    if (hashFile(path.join(packageDir, file)) !== hash) {
      reasons.push(`${file} was edited or deleted in the output`);
      break;
    }
  }
  return { upToDate: reasons.length === 0, reasons };
}
