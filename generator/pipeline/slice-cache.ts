import path from 'node:path';
import type { Config } from '../config.js';
import { buildModel, UNASSIGNED, type AreaSlice } from '../ir/build.js';
import type { ApiModel } from '../ir/model.js';
import { hashFile, sha256 } from '../base/hash.js';
import { CACHE_DIR, readRecordedText, type RecordedFile } from '../base/recorded.js';
import { areaInputs } from './manifest.js';
import { areaSpecFile, type DocumentStore } from '../load/documents.js';
import { parsesOf, storeWithParses } from './parsed-cache.js';

/**
 * Each area's slice of the model (`AreaSlice`), kept in the output's cache folder for the next generation: an area
 * whose inputs did not change is not read again, only merged with the others (the same model as reading them all:
 * `mergeAreas`).
 */
export const SLICE_CACHE_DIR = `${CACHE_DIR}/model`;

/** A slice as cached: the key of what it depends on besides its files, and its input files with their hashes. */
interface CachedSlice {
  key: string;
  inputs: Record<string, string>;
  slice: AreaSlice;
}

/**
 * The model, with the areas whose cached slice (`recorded`, by area) is still valid taken from it; every area's
 * cache text for the next generation; and the areas read this time.
 */
export function modelWithSlices(
  config: Pick<Config, 'file' | 'specDir' | 'areas' | 'nameOverrides'>,
  store: DocumentStore,
  recorded: Record<string, RecordedFile>,
  codeHash: string,
): { model: ApiModel; slices: Record<string, string>; read: string[] } {
  const keyOf = sliceKeys(store, codeHash);
  const slices = new Map<string, AreaSlice>();
  const texts: Record<string, string> = {};
  for (const { name } of config.areas) {
    const text = recorded[name] && readRecordedText(recorded[name]);
    const cached = text === undefined ? undefined : (JSON.parse(text) as CachedSlice);
    if (
      cached?.key !== keyOf(name) ||
      !Object.entries(cached.inputs).every(([file, hash]) => hashFile(path.join(config.specDir, file)) === hash)
    )
      continue;
    slices.set(name, cached.slice);
    texts[name] = text!;
    // Its YAML and XSD files were not parsed this time: their parses stay cached for when the area changes.
    store.retainParses(Object.values(cached.inputs));
  }
  const read = config.areas.filter((a) => !slices.has(a.name)).map((a) => a.name);
  const model = buildModel(config, store, slices);
  for (const name of read) {
    const slice = slices.get(name)!;
    const alone: ApiModel = {
      areas: [{ ...slice.area, operations: slice.area.operations.map((op) => ({ ...op, ...UNASSIGNED })) }],
      schemas: Object.fromEntries(slice.schemas.map(({ schema }) => [schema.id, schema])),
      diagnostics: [],
    };
    const inputs = Object.fromEntries(
      areaInputs(alone, config.specDir)[name]!.map((file) => [file, hashFile(path.join(config.specDir, file))]),
    );
    texts[name] = JSON.stringify({ key: keyOf(name), inputs, slice } satisfies CachedSlice);
  }
  return { model, slices: texts, read };
}

/**
 * What a slice depends on besides its input files: the generator's code, the area and which file is its spec, and
 * which schema files and XSDs exist (one that appears can change the source a type is taken from).
 */
function sliceKeys(store: DocumentStore, codeHash: string): (area: string) => string {
  const { specDir } = store;
  const files = JSON.stringify(store.schemaFiles());
  return (area) => sha256(JSON.stringify([codeHash, area, path.relative(specDir, areaSpecFile(specDir, area)), files]));
}

/**
 * A generation's model from what the last one left: its parses (`parsed-cache.ts`) and its areas' slices. Returns
 * the store it read with, and the texts of both caches for the next generation.
 */
export function modelFromCaches(
  config: Pick<Config, 'file' | 'specDir' | 'areas' | 'nameOverrides'>,
  cached: { parses?: RecordedFile; slices: Record<string, RecordedFile> },
  codeHash: string,
): { model: ApiModel; store: DocumentStore; parses: string; slices: Record<string, string>; read: string[] } {
  const store = storeWithParses(config.specDir, cached.parses, codeHash);
  const { model, slices, read } = modelWithSlices(config, store, cached.slices, codeHash);
  return { model, store, parses: parsesOf(store, codeHash), slices, read };
}
