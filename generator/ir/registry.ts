import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DocumentStore, RefTarget } from '../load/documents.js';
import { XsdTransform } from './read/xsd.js';
import { JsonSchemaTransform } from './read/json-schema.js';
import { rootTypeName, TsNames } from './naming.js';
import { listItemBase, listType } from './lists.js';
import type { Diagnostic, IrType, NamedSchema } from './model.js';

type Definition = Omit<NamedSchema, 'id' | 'tsName'>;

/** A finding, and the schema whose building found it (reported by the area that brings the schema first). */
export type OwnedDiagnostic = Diagnostic & { owner?: string };

/** A derived list's description names its item's type (named again when areas are merged: see `mergeAreas`). */
export function derivedListDescription(itemName: string, base: string): string {
  return `A list of ${itemName} records, built by Alma's list convention (no schema for ${base} was available when this client was generated).`;
}

/**
 * Holds every named schema, and picks for each external schema file the best source of its type:
 * the JSON schema file; else the matching XSD (`rest_user-post.json` → `xsd/rest_user.xsd`); else an untyped
 * document. Ids are reserved before a type is built, so recursive schemas become references.
 */
export class SchemaRegistry {
  /** In the order their ids were reserved, with the names each asked for. */
  private readonly schemas = new Map<string, NamedSchema>();
  private readonly wanted = new Map<string, string[]>();
  private readonly tsNames = new TsNames();
  private rootNames: Set<string> | undefined;
  /** The schemas being built, innermost last: a finding belongs to the innermost. */
  private readonly building: string[] = [];
  /** With the schema each belongs to; a finding of no schema (an XSD file's) has none. */
  readonly diagnostics: OwnedDiagnostic[] = [];
  readonly json: JsonSchemaTransform;
  readonly xsd: XsdTransform;

  constructor(readonly store: DocumentStore) {
    this.json = new JsonSchemaTransform(store, this);
    this.xsd = new XsdTransform(path.join(store.specDir, 'xsd'), this, store);
  }

  /** The type for an external schema reference (an area spec or schema file pointing at another file). */
  external(target: RefTarget, from: { file: string; at: string }): IrType {
    if (existsSync(target.file)) return { kind: 'ref', id: this.json.namedFromRoot(target, from) };
    const base = path
      .basename(target.file)
      .replace(/\.(json|ya?ml)$/, '')
      .replace(/-(post|put)$/, '');
    // A missing -post/-put variant falls back to the entity's own schema: the same XML contract.
    const entityFile = path.join(path.dirname(target.file), `${base}.json`);
    if (entityFile !== target.file && existsSync(entityFile)) {
      return { kind: 'ref', id: this.json.namedFromRoot({ file: entityFile, pointer: `/${base}` }, from) };
    }
    const xsd = this.xsd.rootSchema(`${base}.xsd`) ?? this.derivedList(base, target, from);
    // A name that is not Alma's (`rest_…`), or a schema file pointing at a sibling it does not have: likely a typo.
    if (!xsd && (!/^rest_/.test(base) || path.dirname(from.file) === path.dirname(target.file)))
      this.warn(
        from.file,
        from.at,
        `$ref to ${path.basename(target.file)}: no such file (nor an XSD for it), so the type is an untyped document; if the name is a typo, correct it`,
        'untyped',
        false,
      );
    const xsdId = xsd ?? this.untyped(base, target.file);
    const schema = this.schemas.get(xsdId)!;
    if (!schema.fallbackFor?.includes(target.file))
      schema.fallbackFor = [...(schema.fallbackFor ?? []), target.file].sort();
    return { kind: 'ref', id: xsdId };
  }

  /** Reserves `id` and builds its definition once; returns the id. `tsName`: the name, or candidates, first free. */
  define(id: string, tsName: string | string[], build: () => Definition): string {
    if (this.schemas.has(id)) return id;
    const names = typeof tsName === 'string' ? [tsName] : tsName;
    this.wanted.set(id, names);
    const placeholder: NamedSchema = {
      id,
      tsName: this.tsNames.claim(names, id),
      source: 'untyped',
      file: '',
      description: '',
      type: { kind: 'document' },
    };
    this.schemas.set(id, placeholder);
    this.building.push(id);
    try {
      Object.assign(placeholder, build());
    } finally {
      this.building.pop();
    }
    return id;
  }

  /** Whether a schema file or XSD present has its root type named so (`rest_holding.json` → `Holding`). */
  isRootName(name: string): boolean {
    const { schemas, xsd } = this.store.schemaFiles();
    this.rootNames ??= new Set([...schemas, ...xsd].filter((f) => /\.(json|xsd)$/.test(f)).map((f) => rootTypeName(f)));
    return this.rootNames.has(name);
  }

  get(id: string): NamedSchema | undefined {
    return this.schemas.get(id);
  }

  /** Every schema in the order its id was reserved, with the names it asked for (see `mergeAreas`). */
  reserved(): { names: string[]; schema: NamedSchema }[] {
    return [...this.schemas.values()].map((schema) => ({ names: this.wanted.get(schema.id)!, schema }));
  }

  /** All schemas, sorted by id for deterministic output. */
  all(): Record<string, NamedSchema> {
    return Object.fromEntries([...this.schemas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** A finding of the schema being built (`ofSchema`), or of a file whatever schema reads it. */
  warn(file: string, location: string, message: string, kind: 'untyped' | 'xsd' = 'xsd', ofSchema = true): void {
    const owner = ofSchema ? this.building.at(-1) : undefined;
    this.diagnostics.push({ kind, file, location, message, ...(owner ? { owner } : {}) });
  }

  /**
   * A list document whose schema is missing (`rest_item_loans`), built by Alma's list convention from its item's
   * schema (`rest_item_loan`, JSON schema or XSD) when that one is present.
   */
  private derivedList(base: string, target: RefTarget, from: { file: string; at: string }): string | undefined {
    const itemBase = listItemBase(base);
    if (!itemBase) return undefined;
    const dir = path.dirname(target.file);
    const itemFile = path.join(dir, `${itemBase}.json`);
    if (!existsSync(itemFile) && !existsSync(path.join(this.xsd.xsdDir, `${itemBase}.xsd`))) return undefined;
    const item = this.external({ file: itemFile, pointer: `/${itemBase}` }, from);
    const itemSchema = item.kind === 'ref' ? this.schemas.get(item.id) : undefined;
    if (!itemSchema || itemSchema.source === 'untyped' || !itemSchema.xmlRoot) return undefined;
    return this.define(`derived:${base}`, rootTypeName(base), () => ({
      source: 'derived',
      file: target.file,
      description: derivedListDescription(itemSchema.tsName, base),
      xmlRoot: base.replace(/^rest_/, ''),
      type: listType(itemSchema.xmlRoot!, item),
    }));
  }

  private untyped(base: string, missingFile: string): string {
    return this.define(`untyped:${base}`, rootTypeName(base), () => {
      this.warn(
        missingFile,
        '',
        `no JSON schema and no XSD for ${base}: typed as an untyped document (run \`alma-codegen sync\` to download the schema files)`,
        'untyped',
      );
      return {
        source: 'untyped',
        file: missingFile,
        xmlRoot: base.replace(/^rest_/, ''),
        description: `No schema for ${base} was available when this client was generated: an untyped document, passed through as is.`,
        type: { kind: 'document' },
      };
    });
  }
}
