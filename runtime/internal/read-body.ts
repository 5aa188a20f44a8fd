import { AlmaDecodeError } from '../errors.js';
import { firstInvalidUtf8 } from '../xml/utf8.js';

/**
 * An answer's body, read with its limits: a `Content-Length` over `maxBytes` is refused before anything is read,
 * and the bytes are counted while they stream (a body without a length, or lying about it, stops at the limit), so
 * that memory never holds much more than the limit. Text must be valid UTF-8: a replacement character that was not
 * in the answer would go back to Alma on the next PUT, so an invalid sequence is refused, naming its byte offset.
 */
export async function readBody(
  response: Response,
  maxBytes: number,
  where: { operation: string; url: string },
): Promise<Uint8Array> {
  const tooBig = (size: string) =>
    new AlmaDecodeError(
      where.operation,
      where.url,
      `the answer is ${size}, over the limit of maxDocumentBytes (${maxBytes} bytes); pass a larger maxDocumentBytes to read it`,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooBig(`${declared} bytes (Content-Length)`);
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooBig(`over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The bytes as text; invalid UTF-8 is an `AlmaDecodeError` naming the first bad byte's offset. */
export function utf8Text(bytes: Uint8Array, where: { operation: string; url: string }): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new AlmaDecodeError(
      where.operation,
      where.url,
      `the answer is not valid UTF-8 at byte ${offset} (0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')}); it was not read, so that no replacement character can be written back`,
    );
  }
}
