import path from 'node:path';
import type { Config } from '../config.js';
import { GeneratorError, joinPointer } from '../errors.js';
import { areaSpecFile, type DocumentStore } from '../load/documents.js';
import type { ApiModel, Area, Diagnostic, NamedSchema, Operation } from './model.js';
import { exportNameFor, isValidIdentifier } from './naming.js';
import { listItemOf, listShapeOf } from './lists.js';
import { applyObservations } from './observed.js';
import { assignRoles } from './roles.js';
import { markMarcRecords } from './marc.js';
import { markNetworkZone } from './network-zone.js';
import { markKeyTests } from './key-tests.js';
import { markDocumentedValues } from './parameter-values.js';
import { markBriefSearch } from './brief-search.js';
import { markIdLists } from './id-lists.js';
import { addSupplementary } from './supplementary.js';
import { markWebhooks } from './webhooks.js';
import { SUPPLEMENTARY_FILE } from '../base/tool.js';
import { checkSpec, readOperations } from './read/openapi.js';
import { fixedWireFormat } from './wire-format.js';
import { derivedListDescription, SchemaRegistry, type OwnedDiagnostic } from './registry.js';
import { TsNames } from './naming.js';

/**
 * One area read on its own, before the areas are merged: its operations and every schema they reach (in the order
 * its reading reserved them, with the names each asked for), and the findings of that reading. It depends on the
 * area's input files alone, so a generation keeps it for the next one (see `pipeline/slice-cache.ts`).
 */
export interface AreaSlice {
  area: Omit<Area, 'operations'> & { operations: Omit<Operation, 'exportName' | 'role'>[] };
  schemas: { names: string[]; schema: NamedSchema }[];
  diagnostics: OwnedDiagnostic[];
}

/**
 * Loads every configured area and every schema it references into one model. Each area is read on its own (or
 * taken from `slices`, which is filled with the ones read) and the areas are merged (`mergeAreas`).
 */
export function buildModel(
  config: Pick<Config, 'file' | 'areas' | 'nameOverrides'>,
  store: DocumentStore,
  slices = new Map<string, AreaSlice>(),
): ApiModel {
  for (const { name } of config.areas) if (!slices.has(name)) slices.set(name, readArea(name, store, config.file));
  const model = mergeAreas(config.areas.map(({ name }) => slices.get(name)!));
  model.diagnostics.push(...addSupplementary(model, store.read(SUPPLEMENTARY_FILE), SUPPLEMENTARY_FILE));
  checkOperationIds(model.areas);
  assignExportNames(model.areas, config);
  applyObservations(model);
  for (const schema of Object.values(model.schemas)) {
    const item = listItemOf(schema);
    if (item) schema.listItem = item;
  }
  assignRoles(model);
  markMarcRecords(model);
  markNetworkZone(model);
  markKeyTests(model);
  markDocumentedValues(model);
  markBriefSearch(model);
  markIdLists(model);
  markWebhooks(model);
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const wireFormat = fixedWireFormat(
      op,
      (type) => type.kind === 'document' || (type.kind === 'ref' && model.schemas[type.id]?.source === 'untyped'),
    );
    if (wireFormat) op.wireFormat = wireFormat;
  }
  return model;
}

/** One area's spec and the schemas it reaches, read with a registry of its own. */
export function readArea(name: string, store: DocumentStore, configFile: string): AreaSlice {
  const file = areaSpecFile(store.specDir, name);
  const spec = store.read(file);
  if (spec === undefined) {
    throw new GeneratorError(
      file,
      '',
      `the spec of area "${name}" is missing`,
      `run \`alma-codegen sync\`, set ALMA_SPECS_DIR to a folder holding ${name}.json, or remove the area from ${path.basename(configFile)}`,
    );
  }
  checkSpec(spec, file);
  const registry = new SchemaRegistry(store);
  const info = (spec.info ?? {}) as { title?: string };
  const servers = Array.isArray(spec.servers)
    ? spec.servers.map((s: { url?: string }) => s.url ?? '').filter(Boolean)
    : [];
  const operations = readOperations(name, spec, file, registry);
  return {
    area: { name, specFile: file, title: info.title ?? name, servers, operations },
    schemas: registry.reserved(),
    diagnostics: registry.diagnostics,
  };
}

/** What `buildModel` assigns once the areas are merged: the export name, and the role (it reads the merged schemas). */
export const UNASSIGNED: Pick<Operation, 'exportName' | 'role'> = { exportName: '', role: { kind: 'singleton' } };

/**
 * The areas as one model, the same as reading them all with one registry: schemas named in area order, each area's
 * in the order it reserved them (a schema an earlier area has already brought is skipped with everything it reaches,
 * as one registry would skip it), the missing files a schema stands in for joined, and each finding reported once,
 * by the area one registry would have found it in. Copies: the slices stay as they were.
 */
export function mergeAreas(slices: readonly AreaSlice[]): ApiModel {
  const names = new TsNames();
  const schemas = new Map<string, NamedSchema>();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const { schemas: reached, diagnostics: found } of slices) {
    const brought = new Set<string>();
    for (const { names: wanted, schema } of reached) {
      const known = schemas.get(schema.id);
      if (!known) {
        brought.add(schema.id);
        schemas.set(schema.id, { ...structuredClone(schema), tsName: names.claim(wanted, schema.id) });
      } else if (schema.fallbackFor) {
        known.fallbackFor = [...new Set([...(known.fallbackFor ?? []), ...schema.fallbackFor])].sort();
      }
    }
    // A schema's findings come with it; a file's (a missing XSD include) once, from the first area that read it.
    for (const { owner, ...finding } of found) {
      const key = JSON.stringify(finding);
      if (owner ? brought.has(owner) : !seen.has(key)) diagnostics.push(finding);
      seen.add(key);
    }
  }
  for (const schema of schemas.values()) {
    const item = schema.source === 'derived' ? listShapeOf(schema) : undefined;
    if (item)
      schema.description = derivedListDescription(
        schemas.get(item.itemId)?.tsName ?? item.key,
        schema.id.replace(/^derived:/, ''),
      );
  }
  const areas = slices.map(({ area }) => ({
    ...structuredClone(area),
    operations: area.operations.map((op) => ({ ...structuredClone(op), ...UNASSIGNED })),
  }));
  return {
    areas,
    schemas: Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    diagnostics,
  };
}

/** An operationId names one operation across all areas: the `operations` type of `src/openapi.ts` is keyed by it. */
function checkOperationIds(areas: readonly Area[]): void {
  const seen = new Map<string, Operation>();
  for (const area of areas) {
    for (const op of area.operations) {
      const other = seen.get(op.operationId);
      if (other) {
        throw new GeneratorError(
          area.specFile,
          joinPointer('/paths', op.path, op.method.toLowerCase(), 'operationId'),
          `operationId "${op.operationId}" is also the one of "${other.method} ${other.path}" (${other.area})`,
          'give one of the two operations another operationId in its spec',
        );
      }
      seen.set(op.operationId, op);
    }
  }
}

/** Names every operation by the naming rule or an override; two operations with one name is an error. */
export function assignExportNames(areas: Area[], config: Pick<Config, 'file' | 'nameOverrides'>): void {
  const byName = new Map<string, Operation>();
  const used = new Set<string>();
  for (const area of areas) {
    for (const op of area.operations) {
      const key = `${op.method} ${op.path}`;
      const override = config.nameOverrides[key];
      if (override !== undefined) used.add(key);
      op.exportName = override ?? exportNameFor(area.name, op.method, op.path);
      if (!isValidIdentifier(op.exportName)) {
        throw new GeneratorError(
          config.file,
          `naming.overrides["${key}"]`,
          `"${op.exportName}" is not a usable function name`,
          'choose a name that is a valid identifier and not a reserved word',
        );
      }
      const other = byName.get(op.exportName);
      if (other) {
        throw new GeneratorError(
          op.area === other.area ? area.specFile : `${other.area} and ${area.name}`,
          `/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}`,
          `operations "${other.method} ${other.path}" (${other.area}) and "${key}" (${area.name}) both get the export name ${op.exportName}`,
          `add a naming override in ${path.basename(config.file)}, e.g.\n  naming:\n    overrides:\n      "${key}": ${op.exportName}Of${area.name.charAt(0).toUpperCase()}${area.name.slice(1)}`,
        );
      }
      byName.set(op.exportName, op);
    }
  }
  for (const key of Object.keys(config.nameOverrides)) {
    if (!used.has(key)) {
      throw new GeneratorError(
        config.file,
        `naming.overrides["${key}"]`,
        `no operation "${key}" exists in the configured areas`,
        'correct the method and path (as written in the spec) or remove the override',
      );
    }
  }
}
