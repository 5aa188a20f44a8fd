import { createReadStream } from 'node:fs';
import { firstInvalidUtf8 } from '../../runtime/xml/utf8.js';
import { UsageError } from '../errors.js';

/**
 * The record to convert, from a file or stdin: bytes counted as they arrive (an input over `maxBytes` stops there,
 * never read whole), then decoded as UTF-8, refusing an invalid sequence with its byte offset rather than writing a
 * replacement character into the output.
 */
export async function readInput(file: string | undefined, maxBytes: number): Promise<string> {
  const source = file ? createReadStream(file) : process.stdin;
  const where = file ?? 'stdin';
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        if (file) (source as ReturnType<typeof createReadStream>).destroy();
        throw new UsageError(
          `${where}: the record is over the size limit (${maxBytes} bytes)`,
          'pass a larger --max-size <MiB> (default 32)',
        );
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${where} (${code ?? (error as Error).message})`, 'check the path');
  }
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new UsageError(
      `${where}: not valid UTF-8 at byte ${offset} (0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')})`,
      'convert the file to UTF-8 first (nothing was written: a replacement character would change the record)',
    );
  }
}
