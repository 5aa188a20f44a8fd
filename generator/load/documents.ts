import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { GeneratorError } from '../errors.js';
import { jsonErrorOffset } from './json-position.js';

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

  constructor(readonly specDir: string) {}

  /** Parsed content of a file, or `undefined` when the file does not exist. */
  read(file: string): unknown {
    if (this.cache.has(file)) return this.cache.get(file);
    const data = existsSync(file) ? parseText(readFileSync(file, 'utf8'), file) : undefined;
    this.cache.set(file, data);
    return data;
  }

  /** Every file read so far that exists, sorted: the inputs of a generation. */
  filesRead(): string[] {
    return [...this.cache.entries()].filter(([, data]) => data !== undefined).map(([file]) => file).sort();
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
      throw new GeneratorError(fromFile, `${at}/$ref`, `unsupported $ref "${ref}": only internal refs, relative files and ${EXL_OPENAPI_BASE}… URLs are resolved`, 'download the referenced document next to the spec and refer to it by a relative path');
    }
    return { file: path.resolve(path.dirname(fromFile), location), pointer };
  }

  /** The value at `pointer` in `file`; a dangling pointer is bad input. */
  get(target: RefTarget, referencedFrom: { file: string; at: string }): unknown {
    const data = this.read(target.file);
    if (data === undefined) {
      throw new GeneratorError(referencedFrom.file, `${referencedFrom.at}/$ref`, `the referenced file ${target.file} does not exist`, 'run `alma-codegen sync` to download it, or correct the $ref');
    }
    return evaluatePointer(data, target.pointer, () => {
      throw new GeneratorError(referencedFrom.file, `${referencedFrom.at}/$ref`, `dangling $ref: ${path.basename(target.file)} has nothing at #${target.pointer}`, `point the $ref at an existing definition in ${path.basename(target.file)}`);
    });
  }
}

export function evaluatePointer(data: unknown, pointer: string, onMissing: () => never): unknown {
  if (pointer === '' || pointer === '/') return data;
  let node = data;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) onMissing();
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
      throw new GeneratorError(file, location, `malformed JSON: ${message}`, 'fix the syntax at that position (or re-download the file with `alma-codegen sync`)');
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new GeneratorError(file, pos ? `line ${pos.line}, column ${pos.col}` : '', `malformed YAML: ${first.message.split('\n')[0]}`, 'fix the syntax at that position (or re-download the file with `alma-codegen sync`)');
  }
  return doc.toJS();
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
