/**
 * Every error alma-codegen raises for something a user can fix: what happened, where (a file, and a JSON pointer or a
 * line and column in it, when there is one), and what to do. The CLI prints it as one message, never a stack;
 * `--json` prints `toJSON()`. Programs catch it with `instanceof AlmaCodegenError` and read the fields.
 */
export class AlmaCodegenError extends Error {
  override readonly name: string = 'AlmaCodegenError';

  constructor(
    readonly problem: string,
    readonly fix: string,
    readonly file?: string,
    readonly location?: string,
  ) {
    super(`${file ? `${file}${location ? ` at ${location}` : ''}: ` : ''}${problem}\n  fix: ${fix}`);
  }

  toJSON(): { name: string; problem: string; fix: string; file?: string; location?: string; message: string } {
    return {
      name: this.name,
      problem: this.problem,
      fix: this.fix,
      ...(this.file ? { file: this.file } : {}),
      ...(this.location ? { location: this.location } : {}),
      message: this.message,
    };
  }
}

/** Bad input in a spec, schema, XSD or the configuration: always with the file and where in it. */
export class GeneratorError extends AlmaCodegenError {
  override readonly name: string = 'GeneratorError';

  declare readonly file: string;
  declare readonly location: string;

  constructor(file: string, location: string, problem: string, fix: string) {
    super(problem, fix, file, location);
  }
}

/** A command used wrongly (an option, an argument), or given input it cannot work on. */
export class UsageError extends AlmaCodegenError {
  override readonly name: string = 'UsageError';
}

/**
 * What the file system or the network refused (a folder not writable, a port in use), in words: the path or port,
 * and what to do.
 */
export class EnvironmentError extends AlmaCodegenError {
  override readonly name: string = 'EnvironmentError';

  /**
   * `EACCES` on `path` → "cannot write …: permission denied"; undefined for errors that are not the system's. With
   * `configured`, the message names that folder (the one the user chose), not the staging folder the error was on.
   */
  static from(error: unknown, doing: string, configured?: string): EnvironmentError | undefined {
    const { code, path: where } = error as NodeJS.ErrnoException;
    const target = configured ?? where ?? '';
    switch (code) {
      case 'EACCES':
      case 'EPERM':
        return new EnvironmentError(
          `cannot ${doing} ${target}: permission denied`,
          `make ${target} writable by this user, or set output.dir to a folder you can write`,
          target || undefined,
        );
      case 'EROFS':
        return new EnvironmentError(
          `cannot ${doing} ${target}: the file system is read-only`,
          'set output.dir to a writable folder',
          target || undefined,
        );
      case 'ENOSPC':
        return new EnvironmentError(
          `cannot ${doing} ${target}: no space left on the device`,
          'free some disk space and run the command again',
          target || undefined,
        );
      case 'ENOTDIR':
      case 'EISDIR':
        return new EnvironmentError(
          `cannot ${doing} ${target}: a file stands where a folder is expected, or the reverse`,
          `move ${target} out of the way`,
          target || undefined,
        );
      case 'EEXIST':
        return new EnvironmentError(
          `cannot ${doing} ${target}: something of that name is already there`,
          `move it out of the way, or set output.dir to another folder`,
          target || undefined,
        );
      case 'EMFILE':
      case 'ENFILE':
        return new EnvironmentError(
          `cannot ${doing} ${target}: too many open files (${code})`,
          'raise the limit (ulimit -n) or close other programs, then run the command again',
          target || undefined,
        );
      default:
        return undefined;
    }
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => `/${pointerSegment(s)}`).join('');
}

/** An error as a worker thread sends it: an `AlmaCodegenError`'s fields, or another error's stack. */
export type TransferredError =
  | { name: string; problem: string; fix: string; file?: string; location?: string }
  | { stack: string };

export function transferError(error: unknown): TransferredError {
  if (error instanceof AlmaCodegenError)
    return {
      name: error.name,
      problem: error.problem,
      fix: error.fix,
      ...(error.file ? { file: error.file } : {}),
      ...(error.location !== undefined ? { location: error.location } : {}),
    };
  return { stack: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

/** The error a thread sent, as the class it was (so that the CLI prints a user's mistake without a stack). */
export function receivedError(sent: TransferredError, context: string): Error {
  if ('stack' in sent) return new Error(`${context}: ${sent.stack}`);
  const { name, problem, fix, file, location } = sent;
  switch (name) {
    case 'GeneratorError':
      return new GeneratorError(file ?? '', location ?? '', problem, fix);
    case 'UsageError':
      return new UsageError(problem, fix, file, location);
    case 'EnvironmentError':
      return new EnvironmentError(problem, fix, file, location);
    default:
      return new AlmaCodegenError(problem, fix, file, location);
  }
}
