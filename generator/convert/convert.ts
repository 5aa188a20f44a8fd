import { jsonToXml, xmlToJson, type JsonObject } from '../../runtime/xml/codec.js';
import type { CodecTypes } from './codec-types.js';
import { UsageError } from '../errors.js';

export interface ConvertRequest {
  input: string;
  to: 'json' | 'xml';
  /** The schema name (`rest_user`); optional for XML input, whose root element names it. */
  type?: string;
  /** The largest XML input read, in bytes (default 32 MiB). */
  maxDocumentBytes?: number;
}

/** Converts one record between Alma's XML and JSON, by the schema the record's type names. */
export function convertRecord(
  request: ConvertRequest,
  types: CodecTypes,
): { output: string; typeUsed: string | undefined } {
  const trimmed = request.input.replace(/^\uFEFF/, '').trimStart();
  const isXml = trimmed.startsWith('<');
  if (!isXml && !trimmed.startsWith('{'))
    throw new UsageError('the input is neither XML nor a JSON object', 'give an Alma record in XML or JSON');
  if ((isXml && request.to === 'xml') || (!isXml && request.to === 'json'))
    throw new UsageError(
      `the input is already ${request.to.toUpperCase()}`,
      `--to names the format to convert to: --to ${request.to === 'xml' ? 'json' : 'xml'}`,
    );
  const named = request.type ? types.byName(request.type) : undefined;
  if (request.type && !named) {
    const close = types
      .names()
      .filter((n) => n.includes(request.type!.replace(/^rest_/, '').split(/[-_]/)[0] ?? ''))
      .slice(0, 8);
    throw new UsageError(
      `no schema named "${request.type}" in the spec directory`,
      `${close.length ? `did you mean ${close.join(', ')}? ` : ''}\`alma-codegen convert --list-types\` lists them`,
    );
  }
  if (isXml) {
    const root = rootElement(trimmed);
    const found = named ?? (root ? types.byRoot(root) : undefined);
    const json = xmlToJson(
      request.input,
      found?.xml,
      request.maxDocumentBytes !== undefined ? { maxDocumentBytes: request.maxDocumentBytes } : {},
    );
    return { output: `${JSON.stringify(json, null, 2)}\n`, typeUsed: found ? nameOf(found.schema.file) : undefined };
  }
  if (!named) throw new UsageError('JSON has no root element to tell its type', 'pass --type, e.g. --type rest_user');
  let json: JsonObject;
  try {
    json = JSON.parse(request.input) as JsonObject;
  } catch (error) {
    throw new UsageError(`the input is not valid JSON: ${(error as Error).message}`, 'correct the JSON (or give XML)');
  }
  return { output: `${jsonToXml(json, named.xml)}\n`, typeUsed: nameOf(named.schema.file) };
}

function rootElement(xml: string): string | undefined {
  const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  return /<([A-Za-z_][\w.-]*)/.exec(body)?.[1];
}

function nameOf(file: string): string {
  return file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(json|ya?ml|xsd)$/, '');
}
