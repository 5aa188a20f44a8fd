import path from 'node:path';
import { bundleSpec, type Json } from '../../load/bundle.js';
import type { ApiModel, IrType, NamedSchema } from '../../ir/model.js';
import { areaSpecFile, evaluatePointer, type DocumentStore } from '../../load/documents.js';

// The spec openapi-typescript reads for an area: bundled, with alma-codegen's own types standing in for the schema
// files that are missing, and the schemas a path refers into moved to the components.

/** An area's spec, bundled. */
export interface BundledArea {
  area: string;
  spec: Json;
}

/** The configured areas' specs, self-contained, with the IR's stand-ins for missing schema files. */
export function bundleAreas(
  config: { areas: readonly { name: string }[]; specDir: string },
  model: ApiModel,
  store: DocumentStore,
): BundledArea[] {
  const fromIr = new IrSchemas(model);
  return config.areas.map(({ name }) => {
    const file = areaSpecFile(config.specDir, name);
    const bundled = bundleSpec(store, file, (missing) => fromIr.forMissingFile(missing));
    const spec = hoistPathSchemas(bundled, path.basename(file), model) as {
      components?: { schemas?: { [key: string]: Json } };
    };
    spec.components ??= {};
    spec.components.schemas = { ...spec.components.schemas, ...fromIr.takeComponents() };
    return { area: name, spec: spec as Json };
  });
}

/**
 * Schemas referenced inside `paths` (`tasklists.yaml` points from one operation into another's response) moved into
 * `components.schemas`, named as the IR names them, so that every tool resolves them as components.
 */
function hoistPathSchemas(spec: Json, fileName: string, model: ApiModel): Json {
  const root = spec as { [key: string]: Json };
  root.components ??= {};
  const components = root.components as { [key: string]: Json };
  components.schemas ??= {};
  const schemas = components.schemas as { [key: string]: Json };
  const keys = new Map<string, string>();
  const hoist = (pointer: string): string => {
    const known = keys.get(pointer);
    if (known) return known;
    const name =
      model.schemas[`${fileName}#${pointer}`]?.tsName ??
      pointer.split('/').filter(Boolean).join('_').replace(/[^\w]/g, '_');
    const key = `${fileName.replace(/\.(json|ya?ml)$/, '')}__${name}`;
    keys.set(pointer, key);
    schemas[key] = {};
    schemas[key] = rewrite(
      structuredClone(
        evaluatePointer(spec, pointer, () => {
          throw new Error(`dangling $ref #${pointer} in ${fileName}`);
        }) as Json,
      ),
    );
    return key;
  };
  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/paths/')
          ? `#/components/schemas/${hoist(v.slice(1))}`
          : rewrite(v),
      ]),
    );
  };
  root.paths = rewrite(root.paths ?? {});
  return spec;
}

/** alma-codegen's own types (XSD-built, derived lists) as OpenAPI schema objects, under `ir__<Name>`. */
class IrSchemas {
  private readonly used = new Map<string, Json>();
  /** The XSD-built or derived type that stands in for each missing schema file. */
  private readonly standIns = new Map<string, NamedSchema>();

  constructor(private readonly model: ApiModel) {
    for (const schema of Object.values(model.schemas)) {
      if (schema.source === 'xsd' || schema.source === 'derived')
        for (const file of schema.fallbackFor ?? []) this.standIns.set(path.resolve(file), schema);
    }
  }

  forMissingFile(file: string): Json | undefined {
    const schema = this.standIns.get(path.resolve(file));
    return schema ? { $ref: `#/components/schemas/${this.add(schema)}` } : undefined;
  }

  /** The stand-ins used since the last call (one area's), sorted; the next area starts afresh. */
  takeComponents(): { [key: string]: Json } {
    const taken = Object.fromEntries([...this.used].sort(([a], [b]) => (a < b ? -1 : 1)));
    this.used.clear();
    return taken;
  }

  private add(schema: NamedSchema): string {
    const key = `ir__${schema.tsName}`;
    if (!this.used.has(key)) {
      // Reserved first: a recursive type refers to itself by key.
      this.used.set(key, {});
      this.used.set(key, {
        ...(schema.description ? { description: schema.description } : {}),
        ...(this.convert(schema.type) as object),
      });
    }
    return key;
  }

  private convert(type: IrType): Json {
    switch (type.kind) {
      case 'string':
        return {
          type: 'string',
          ...(type.format ? { format: type.format } : {}),
          ...(type.enum ? { enum: type.enum } : {}),
        };
      case 'integer':
      case 'number':
        return { type: type.kind };
      case 'boolean':
        return { type: 'boolean' };
      case 'union':
        return { anyOf: type.types.map((t) => this.convert(t)) };
      case 'array':
        return { type: 'array', items: this.convert(type.items) };
      case 'ref': {
        const schema = this.model.schemas[type.id];
        return schema ? { $ref: `#/components/schemas/${this.add(schema)}` } : { type: 'object' };
      }
      case 'object': {
        const required = type.properties.filter((p) => p.required).map((p) => p.name);
        const properties = Object.fromEntries(
          type.properties.map((p) => [
            p.name,
            {
              ...(this.convert(p.type) as object),
              ...(p.required ? {} : { nullable: true }),
              ...(p.description ? { description: p.description } : {}),
            },
          ]),
        );
        return { type: 'object', properties, ...(required.length ? { required } : {}) };
      }
      case 'document':
        return { type: 'object', additionalProperties: true };
      case 'unknown':
        return {};
      case 'file':
        return { type: 'string', format: 'binary' };
    }
  }
}
