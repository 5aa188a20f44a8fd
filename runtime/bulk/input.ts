import type { JsonValue } from '../operation.js';
import { BulkSetupError, fileChunks, optionalPeer } from './platform.js';

/** What `csvRows` needs of csv-parse (an optional peer: loaded only when a CSV is read). */
interface CsvParse {
  parse(options: Record<string, unknown>): AsyncIterable<Record<string, string>> & {
    write(chunk: Uint8Array): boolean;
    end(): void;
    on(event: 'error', listener: (error: Error) => void): unknown;
    once(event: 'drain', listener: () => void): unknown;
    destroy(error?: Error): void;
  };
}

/**
 * The rows of a CSV file with a header line, as objects keyed by the header's names, read as they are needed (a
 * file of any size). Parsing is csv-parse's (quoted fields, line breaks in quotes, a BOM, CRLF), which is loaded
 * only here: `npm install csv-parse` to use it. A malformed row stops the reading with the file and line.
 */
export async function* csvRows(path: string): AsyncGenerator<Record<string, string>> {
  const { parse } = await optionalPeer<CsvParse>('csv-parse', 'reading a CSV file (csvRows)');
  const parser = parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure = error;
  });
  const feed = (async () => {
    try {
      for await (const chunk of await fileChunks(path)) {
        if (!parser.write(chunk)) await new Promise<void>((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const row of parser) yield row;
  } catch (error) {
    throw csvError(path, failure ?? (error as Error));
  }
  await feed;
  if (failure) throw csvError(path, failure);
}

function csvError(path: string, error: Error & { lines?: number; code?: string }): BulkSetupError {
  if (error.code === 'ENOENT') return new BulkSetupError(`the input ${path} does not exist`);
  const where = error.lines !== undefined ? ` line ${error.lines}` : '';
  return new BulkSetupError(`the CSV file ${path}${where} cannot be read: ${error.message}`);
}

/** The values of a JSON-lines file (one JSON value per line; blank lines skipped), read as they are needed. */
export async function* jsonLines(path: string): AsyncGenerator<JsonValue> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 0;
  const parse = (text: string): JsonValue | undefined => {
    line++;
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as JsonValue;
    } catch (error) {
      throw new BulkSetupError(`the JSON-lines file ${path} line ${line} is not JSON: ${(error as Error).message}`);
    }
  };
  let chunks: AsyncIterable<Uint8Array>;
  try {
    chunks = await fileChunks(path);
    for await (const chunk of chunks) {
      rest += decoder.decode(chunk, { stream: true });
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const text of lines) {
        const value = parse(text);
        if (value !== undefined) yield value;
      }
    }
  } catch (error) {
    if (error instanceof BulkSetupError) throw error;
    const code = (error as { code?: string }).code;
    throw new BulkSetupError(
      code === 'ENOENT'
        ? `the input ${path} does not exist`
        : `the input ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  const value = parse(rest + decoder.decode());
  if (value !== undefined) yield value;
}
