import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GeneratorError } from '../errors.js';
import { parseYaml } from './yaml.js';
import { jsonErrorOffset } from './json-position.js';
import { parseXsd, type XsdNode } from './xsd-parse.js';

/** The spec file of an area: `<specDir>/<area>.json`, `.yaml` or `.yml`. */
export function areaSpecFile(specDir: string, area: string): string {
  for (const ext of ['json', 'yaml', 'yml']) {
    const file = path.join(specDir, `${area}.${ext}`);
    if (existsSync(file)) return file;
  }
  return path.join(specDir, `${area}.json`);
}

/** Where Ex Libris publishes the specs; refs under it map onto the local spec directory. */
export const EXL_OPENAPI_BASE = 'https://developers.exlibrisgroup.com/wp-content/uploads/alma/openapi/';

/** A `$ref` resolved to a file and a JSON pointer inside it. */
export interface RefTarget {
  file: string;
  pointer: string;
}

/**
 * Reads spec and schema files (JSON or YAML) once each and resolves `$ref`s between them. It never goes to
 * the network: absolute Ex Libris URLs are mapped onto `specDir`.
 */
export class DocumentStore {
  private readonly cache = new Map<string, unknown>();
  private readonly xsds = new Map<string, XsdNode>();
  /** The slow parses (YAML, XSD) of this run by sha256 of the text: what `parsed` can offer the next run. */
  readonly parsedNow = new Map<string, unknown>();
  private listed: { schemas: string[]; xsd: string[] } | undefined;

  /**
   * `parsed`: YAML and XSD files parsed by an earlier run, by sha256 of their text (a generation keeps them in the
   * output's cache folder): JSON reads in a tenth of the time.
   */
  constructor(
    readonly specDir: string,
    private readonly parsed: ReadonlyMap<string, unknown> = new Map(),
  ) {}

  /**
   * The names of the schema files and XSDs present (`schemas/`, `xsd/`), sorted, read once: which exist decides
   * where a type comes from and how a nested type is named.
   */
  schemaFiles(): { schemas: string[]; xsd: string[] } {
    const listing = (dir: string) => {
      const full = path.join(this.specDir, dir);
      return existsSync(full) ? readdirSync(full).sort() : [];
    };
    this.listed ??= { schemas: listing('schemas'), xsd: listing('xsd') };
    return this.listed;
  }

  /** Parsed content of a file, or `undefined` when the file does not exist. */
  read(file: string): unknown {
    if (this.cache.has(file)) return this.cache.get(file);
    const data = existsSync(file)
      ? this.parseOnce(readFileSync(file, 'utf8'), (text) => parseText(text, file), !file.endsWith('.json'))
      : undefined;
    this.cache.set(file, data);
    return data;
  }

  /** An XSD file's element tree (throws on malformed XML: see `parseXsd`). */
  readXsd(file: string): XsdNode {
    const known = this.xsds.get(file);
    if (known) return known;
    const tree = this.parseOnce(readFileSync(file, 'utf8'), parseXsd, true) as XsdNode;
    this.xsds.set(file, tree);
    return tree;
  }

  private parseOnce(text: string, parse: (text: string) => unknown, slow: boolean): unknown {
    if (!slow || /^\s*[{[]/.test(text)) return parse(text);
    const hash = createHash('sha256').update(text).digest('hex');
    const value = this.parsed.get(hash) ?? parse(text);
    this.parsedNow.set(hash, value);
    return value;
  }

  /**
   * Keeps for the next run the earlier parses of these file hashes, though this run did not read the files (the
   * model of their area was reused).
   */
  retainParses(hashes: Iterable<string>): void {
    for (const hash of hashes) {
      const parsed = this.parsed.get(hash);
      if (parsed !== undefined) this.parsedNow.set(hash, parsed);
    }
  }

  /** Resolves a `$ref` found in `fromFile` at `at` to a file and pointer. */
  resolveRef(ref: string, fromFile: string, at: string): RefTarget {
    const hash = ref.indexOf('#');
    const location = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : decodeURIComponent(ref.slice(hash + 1));
    if (location === '') return { file: fromFile, pointer };
    if (location.startsWith(EXL_OPENAPI_BASE)) {
      return { file: path.join(this.specDir, ...location.slice(EXL_OPENAPI_BASE.length).split('/')), pointer };
    }
    if (/^[a-z]+:/i.test(location)) {
      throw new GeneratorError(
        fromFile,
        `${at}/$ref`,
        `unsupported $ref "${ref}": only internal refs, relative files and ${EXL_OPENAPI_BASE}… URLs are resolved`,
        'download the referenced document next to the spec and refer to it by a relative path',
      );
    }
    return { file: path.resolve(path.dirname(fromFile), location), pointer };
  }

  /** The value at `pointer` in `file`; a dangling pointer is bad input. */
  get(target: RefTarget, referencedFrom: { file: string; at: string }): unknown {
    const data = this.read(target.file);
    if (data === undefined) {
      throw new GeneratorError(
        referencedFrom.file,
        `${referencedFrom.at}/$ref`,
        `the referenced file ${target.file} does not exist`,
        'run `alma-codegen sync` to download it, or correct the $ref',
      );
    }
    return evaluatePointer(data, target.pointer, () => {
      throw new GeneratorError(
        referencedFrom.file,
        `${referencedFrom.at}/$ref`,
        `dangling $ref: ${path.basename(target.file)} has nothing at #${target.pointer}`,
        `point the $ref at an existing definition in ${path.basename(target.file)}`,
      );
    });
  }
}

export function evaluatePointer(data: unknown, pointer: string, onMissing: () => never): unknown {
  if (pointer === '' || pointer === '/') return data;
  let node = data;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) onMissing();
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Parses JSON or YAML; malformed input raises an error with line and column. */
export function parseText(text: string, file: string): unknown {
  const looksLikeJson = file.endsWith('.json') || /^\s*[{[]/.test(text);
  if (looksLikeJson) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const offset = jsonErrorOffset(text);
      const location = offset === undefined ? '' : lineColumn(text, offset);
      const message = (error as Error).message.replace(/, ".*$/s, '');
      throw new GeneratorError(
        file,
        location,
        `malformed JSON: ${message}`,
        'fix the syntax at that position (or re-download the file with `alma-codegen sync`)',
      );
    }
  }
  return parseYaml(text, file, {
    problem: 'malformed YAML',
    fix: 'fix the syntax at that position (or re-download the file with `alma-codegen sync`)',
  });
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
