import { recordIdField } from '../generator/ir/record-ids.js';
import type { JsonObject } from '../runtime/xml/codec.js';

/** Where a collection's records keep their identifier: an Alma fact, kept in the IR with its evidence. */
export const idFieldOf = recordIdField;

export function getPath(record: JsonObject, dotted: string): unknown {
  let node: unknown = record;
  for (const key of dotted.split('.')) node = node && typeof node === 'object' ? (node as JsonObject)[key] : undefined;
  return node;
}

function setPath(record: JsonObject, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = record;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as JsonObject;
  }
  node[keys.at(-1)!] = value;
}

/**
 * The mock's data: collections by their concrete path (`/almaws/v1/users/jdoe/loans`), records in insertion order,
 * plus single documents (`/almaws/v1/conf/general`). Records are stored as Alma's JSON.
 */
export class MockStore {
  private readonly collections = new Map<string, Map<string, JsonObject>>();
  private readonly documents = new Map<string, JsonObject>();
  private sequence = 0;

  /** A fresh, deterministic identifier (19 digits, like Alma's). */
  newId(): string {
    this.sequence++;
    return `99${String(this.sequence).padStart(13, '0')}3811`;
  }

  collection(path: string): Map<string, JsonObject> {
    let collection = this.collections.get(path);
    if (!collection) {
      collection = new Map();
      this.collections.set(path, collection);
    }
    return collection;
  }

  /** Adds a record, giving it an identifier when it has none; returns the stored record. */
  insert(path: string, record: JsonObject): JsonObject {
    const field = idFieldOf(path);
    let id = getPath(record, field);
    if (id === undefined || id === null || id === '') {
      id = this.newId();
      setPath(record, field, id);
    }
    this.collection(path).set(String(id), record);
    this.changed(path);
    return record;
  }

  /** A result computed from a collection, kept until the collection changes (the list's order: an index). */
  cached<T>(path: string, key: string, compute: () => T): T {
    const version = this.versions.get(path) ?? 0;
    const hit = this.cache.get(`${path}\u0000${key}`);
    if (hit && hit.version === version) return hit.value as T;
    const value = compute();
    this.cache.set(`${path}\u0000${key}`, { version, value });
    return value;
  }

  private readonly versions = new Map<string, number>();
  private readonly cache = new Map<string, { version: number; value: unknown }>();

  private changed(path: string): void {
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
  }

  get(path: string, id: string): JsonObject | undefined {
    return this.collections.get(path)?.get(id);
  }

  /**
   * Every record of a collection, with the path of each. A segment `ALL` (Alma's `holding_id=ALL`) stands for every
   * value there: `/bibs/1/holdings/ALL/items` are the items of every holding of bib 1.
   */
  entries(path: string): { path: string; record: JsonObject }[] {
    if (!path.split('/').includes('ALL'))
      return [...(this.collections.get(path)?.values() ?? [])].map((record) => ({ path, record }));
    const pattern = new RegExp(
      `^${path
        .split('/')
        .map((s) => (s === 'ALL' ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}$`,
    );
    return [...this.collections]
      .filter(([p]) => pattern.test(p))
      .flatMap(([p, c]) => [...c.values()].map((record) => ({ path: p, record })));
  }

  all(path: string): JsonObject[] {
    return this.entries(path).map((e) => e.record);
  }

  /** Swap-all, as Alma does: the body replaces the whole record; only the identifier is kept. */
  replace(path: string, id: string, record: JsonObject): JsonObject | undefined {
    const collection = this.collections.get(path);
    if (!collection?.has(id)) return undefined;
    setPath(record, idFieldOf(path), id);
    collection.set(id, record);
    this.changed(path);
    return record;
  }

  delete(path: string, id: string): boolean {
    this.changed(path);
    return this.collections.get(path)?.delete(id) ?? false;
  }

  clear(path: string): void {
    this.changed(path);
    this.collections.get(path)?.clear();
    this.documents.delete(path);
  }

  count(path: string): number {
    return this.collections.get(path)?.size ?? 0;
  }

  document(path: string): JsonObject | undefined {
    return this.documents.get(path);
  }

  setDocument(path: string, document: JsonObject): void {
    this.documents.set(path, document);
  }
}
