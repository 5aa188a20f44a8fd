import path from 'node:path';
import type { Config } from '../config.js';
import { GeneratorError } from '../errors.js';
import { areaSpecFile, type DocumentStore } from '../load/documents.js';
import type { ApiModel, Area, Operation } from './model.js';
import { exportNameFor, isValidIdentifier } from './naming.js';
import { listItemOf } from './lists.js';
import { applyObservations } from './observed.js';
import { checkSpec, fixedWireFormat, readOperations } from './operations.js';
import { SchemaRegistry } from './registry.js';

/** Loads every configured area and every schema it references into one model. */
export function buildModel(config: Pick<Config, 'file' | 'areas' | 'nameOverrides'>, store: DocumentStore): ApiModel {
  const registry = new SchemaRegistry(store);
  const areas: Area[] = [];
  for (const { name } of config.areas) {
    const file = areaSpecFile(store.specDir, name);
    const spec = store.read(file);
    if (spec === undefined) {
      throw new GeneratorError(file, '', `the spec of area "${name}" is missing`, `run \`alma-codegen sync\`, set ALMA_SPECS_DIR to a folder holding ${name}.json, or remove the area from ${path.basename(config.file)}`);
    }
    checkSpec(spec, file);
    const info = (spec.info ?? {}) as { title?: string };
    const servers = Array.isArray(spec.servers) ? spec.servers.map((s: { url?: string }) => s.url ?? '').filter(Boolean) : [];
    const operations = readOperations(name, spec, file, registry).map((op) => ({ ...op, exportName: '' }));
    areas.push({ name, specFile: file, title: info.title ?? name, servers, operations });
  }
  assignExportNames(areas, config);
  const model: ApiModel = { areas, schemas: registry.all(), diagnostics: registry.diagnostics };
  applyObservations(model);
  for (const schema of Object.values(model.schemas)) {
    const item = listItemOf(schema);
    if (item) schema.listItem = item;
  }
  for (const op of model.areas.flatMap((a) => a.operations)) {
    const wireFormat = fixedWireFormat(op, (type) => type.kind === 'document' || (type.kind === 'ref' && model.schemas[type.id]?.source === 'untyped'));
    if (wireFormat) op.wireFormat = wireFormat;
  }
  return model;
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
        throw new GeneratorError(config.file, `naming.overrides["${key}"]`, `"${op.exportName}" is not a usable function name`, 'choose a name that is a valid identifier and not a reserved word');
      }
      const other = byName.get(op.exportName);
      if (other) {
        throw new GeneratorError(op.area === other.area ? area.specFile : `${other.area} and ${area.name}`, `/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}`, `operations "${other.method} ${other.path}" (${other.area}) and "${key}" (${area.name}) both get the export name ${op.exportName}`, `add a naming override in ${path.basename(config.file)}, e.g.\n  naming:\n    overrides:\n      "${key}": ${op.exportName}Of${area.name.charAt(0).toUpperCase()}${area.name.slice(1)}`);
      }
      byName.set(op.exportName, op);
    }
  }
  for (const key of Object.keys(config.nameOverrides)) {
    if (!used.has(key)) {
      throw new GeneratorError(config.file, `naming.overrides["${key}"]`, `no operation "${key}" exists in the configured areas`, 'correct the method and path (as written in the spec) or remove the override');
    }
  }
}
