import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { areaSpecFile, DocumentStore, type RefTarget } from './documents.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Makes an area spec self-contained: every external schema `$ref` (absolute Ex Libris URL or relative file)
 * becomes `#/components/schemas/<file>__<definition>`, with the definition copied in. A schema file that is not
 * available locally becomes what `fallback` gives for it, else an open object schema, so that any OpenAPI tool can
 * read the result offline.
 */
export function bundleSpec(
  store: DocumentStore,
  specFile: string,
  fallback: (missingFile: string) => Json | undefined = () => undefined,
): Json {
  const spec = structuredClone(store.read(specFile)) as { [key: string]: Json };
  const schemas: Record<string, Json> = {};
  const keyOf = (target: RefTarget) =>
    `${path.basename(target.file).replace(/\.(json|ya?ml)$/, '')}__${target.pointer.replace(/^\//, '').replace(/\//g, '.')}`;

  const embed = (target: RefTarget): string => {
    const key = keyOf(target);
    if (key in schemas) return key;
    schemas[key] = {};
    if (!existsSync(target.file)) {
      schemas[key] = fallback(target.file) ?? {
        type: 'object',
        description: `${path.basename(target.file)} is not available locally.`,
      };
      return key;
    }
    const node = store.get(target, { file: target.file, at: target.pointer }) as Json;
    schemas[key] = rewrite(structuredClone(node), target.file);
    return key;
  };

  const rewrite = (node: Json, file: string): Json => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, file));
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !(file === specFile && value.startsWith('#/'))) {
        out.$ref = `#/components/schemas/${embed(store.resolveRef(value, file, ''))}`;
      } else {
        out[key] = rewrite(value, file);
      }
    }
    return out;
  };

  const rewritten = rewrite(spec, specFile) as { [key: string]: Json };
  const components = (rewritten.components ?? {}) as { [key: string]: Json };
  components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
  rewritten.components = components;
  return rewritten;
}

/** Bundles every configured area into `outDir/<area>.json`; returns the files written. */
export async function bundleSpecs(config: Config, outDir: string): Promise<string[]> {
  const store = new DocumentStore(config.specDir);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const { name } of config.areas) {
    const file = path.join(outDir, `${name}.json`);
    await writeFile(file, `${JSON.stringify(bundleSpec(store, areaSpecFile(config.specDir, name)), null, 2)}\n`);
    written.push(file);
  }
  return written;
}
