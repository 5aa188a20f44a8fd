/**
 * The one error type the generator raises for bad input. It always says which file, where in it (a JSON
 * pointer or a line and column), what is wrong, and what to do about it.
 */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';

  constructor(
    readonly file: string,
    readonly location: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}${location ? ` at ${location}` : ''}: ${problem}\n  fix: ${fix}`);
  }
}

/** A non-fatal finding reported in the generation report and on the console. */
export interface Diagnostic {
  file: string;
  location: string;
  message: string;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${pointerSegment(s)}`).join('');
}

/** A command used wrongly or on input it cannot convert, said so that the user knows what to change. */
export class ConvertError extends Error {
  override readonly name = 'ConvertError';
}
