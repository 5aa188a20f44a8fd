/** A JSDoc block for `text` at `indent`, or nothing when there is no text. Safe against `*\/` in spec prose. */
export function docComment(text: string, indent: string): string {
  const lines = wrapDoc(cleanDoc(text), LINE_WIDTH - indent.length - 3);
  if (lines.length === 0) return '';
  if (lines.length === 1 && indent.length + lines[0]!.length + 7 <= LINE_WIDTH) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/**
 * Spec prose as JSDoc lines: trimmed, comment terminators escaped, runs of blank lines folded; Confluence links
 * (`[code table|https://…]`) made Markdown links, and a line that is a dangling label (the XSDs' `SIS, API:` left
 * from a list of where a field is used) dropped.
 */
export function cleanDoc(text: string): string[] {
  const lines = text
    .replace(CONFLUENCE_LINK, '[$1]($2)')
    .replace(/\*\//g, '*\\/')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd().replace(/^\s+/, ''))
    .filter((l) => !DANGLING_LABEL.test(l));
  const folded: string[] = [];
  for (const line of lines) {
    if (line === '' && (folded.length === 0 || folded.at(-1) === '')) continue;
    folded.push(line);
  }
  while (folded.at(-1) === '') folded.pop();
  return folded;
}

const CONFLUENCE_LINK = /\[([^\]|\n]+)\|(https?:\/\/[^\]\s]+)\]/g;
// Only a label with nothing after its colon, made of the names of Alma's channels: not a sentence's lead-in.
const DANGLING_LABEL = /^(?:SIS|API|UI|SIS load)(?:,\s*(?:SIS|API|UI|SIS load))*:$/;

/** ts-morph `docs` for spec prose at a declaration indented by `indent` spaces: none when there is no text. */
export function jsDocs(text: string, indent = 0): { description: string }[] {
  const lines = wrapDoc(cleanDoc(text), LINE_WIDTH - indent - 3);
  if (lines.length === 0) return [];
  // ts-morph writes one line as `/** … */`, four characters more than a line of a block: a block where it would not fit.
  const oneLine = lines.length === 1 && indent + lines[0]!.length + 7 <= LINE_WIDTH;
  return [{ description: oneLine ? lines[0]! : `\n${lines.join('\n')}` }];
}

/** The generated code's line width, the repository's own (biome.json). */
export const LINE_WIDTH = 120;

/**
 * Doc lines wrapped at `width` between words, as Markdown reads them (a paragraph's lines join): a list item's
 * continuation is indented to its text; fenced code, headings, table rows and a single word longer than the width are
 * left whole, and so is an inline tag (`{@link X | text}`).
 */
export function wrapDoc(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of lines) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || /^(```|~~~|#|\|)/.test(line) || line.length <= width) {
      out.push(line);
      continue;
    }
    const hanging = ' '.repeat(/^(?:[-*+]|\d+\.|@\w+(?: \S+ -)?)\s+/.exec(line)?.[0].length ?? 0);
    let current = '';
    for (const word of line.match(/\{@[^}]*\}\S*|\S+/g) ?? []) {
      // A tag or a bullet keeps its first word (a long link stays on the `@see` line).
      if (current.length > hanging.length && current.length + 1 + word.length > width) {
        out.push(current);
        current = hanging + word;
      } else current = current ? `${current} ${word}` : word;
    }
    if (current) out.push(current);
  }
  return out;
}
