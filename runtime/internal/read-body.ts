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
  // Read into one buffer of our own (BYOB): its declared length, or 64 KiB, then at once the whole limit (V8 zero-fills
  // a buffer, so a big one costs time, not memory: the pages not written stay untouched). No list of chunks beside a
  // final copy, no doubling: the peak is the body and a few chunks. Without a BYOB reader, chunk by chunk.
  let reader: ReadableStreamBYOBReader;
  try {
    reader = response.body.getReader({ mode: 'byob' });
  } catch {
    return readChunks(response.body.getReader(), maxBytes, tooBig);
  }
  let buffer = new Uint8Array(Math.min(maxBytes + 1, Number.isFinite(declared) ? declared + 1 : 64 * 1024));
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (buffer.length > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooBig(`over ${maxBytes} bytes`);
      }
      const grown = new Uint8Array(maxBytes + 1);
      grown.set(buffer);
      buffer = grown;
    }
    const { done, value } = await reader.read(buffer.subarray(total));
    // The stream hands the buffer back transferred (the one given is detached), the last time too: keep its.
    if (value) buffer = new Uint8Array(value.buffer, 0, value.buffer.byteLength);
    if (done) break;
    total += value.byteLength;
  }
  return buffer.subarray(0, total);
}

/** A stream's bytes chunk by chunk, stopped (and cancelled) past `maxBytes` with `tooBig`'s error. */
export async function readChunks(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  tooBig: (size: string) => Error,
): Promise<Uint8Array> {
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
  return concatBytes(chunks, total);
}

/** Chunks as one array of `total` bytes (the one chunk itself when there is one). */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
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
