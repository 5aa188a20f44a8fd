/**
 * What the CLI prints, in one place: colour only on a terminal (and never with NO_COLOR or TERM=dumb; FORCE_COLOR
 * forces it), progress on stderr only on a terminal, nothing but errors with --quiet, one JSON document on stdout
 * with --json. FORCE_COLOR=0 turns colour off.
 */
type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
};

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR) return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function paint(style: Style, text: string, enabled: boolean): string {
  const [open, close] = CODES[style];
  return enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
}

export interface OutputOptions {
  quiet?: boolean;
  json?: boolean;
}

export interface Output {
  /** A line of the human summary (stdout; not with --quiet or --json). */
  info(text: string): void;
  /** Something worth knowing that is not an error (stdout, "note:" in yellow). */
  note(text: string): void;
  /** A stage of long work (stderr, terminal only, overwritten by the next). */
  progress(text: string): void;
  /** The machine-readable result (stdout, --json only). */
  result(value: unknown): void;
  paint(style: Style, text: string): string;
}

export function createOutput(
  options: OutputOptions,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  const human = !options.quiet && !options.json;
  const colour = colourEnabled(stdout);
  const live = human && Boolean(stderr.isTTY);
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) stderr.write('\r\u001b[2K');
    progressShown = false;
  };
  return {
    info(text) {
      if (!human) return;
      clearProgress();
      stdout.write(`${text}\n`);
    },
    note(text) {
      if (!human) return;
      clearProgress();
      stdout.write(`${paint('yellow', 'note:', colour)} ${text}\n`);
    },
    progress(text) {
      if (!live) return;
      stderr.write(`\r\u001b[2K${paint('dim', `… ${text}`, colourEnabled(stderr))}`);
      progressShown = true;
    },
    result(value) {
      clearProgress();
      if (options.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    paint: (style, text) => paint(style, text, colour),
  };
}
