/** What a body is, judged by its content: Alma's labels are not reliable (XML labelled JSON, and back). */
export type BodyKind = 'json' | 'xml' | 'html' | 'text' | 'empty';

export function sniffBody(text: string): BodyKind {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start === '') return 'empty';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<')) return /^<(!doctype\s+html|html[\s>])/i.test(start) ? 'html' : 'xml';
  return 'text';
}

/** Parses an `X-Exl-Api-Remaining` value: calls left today, or `undefined` when absent or not a number. */
export function parseRemaining(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
