/** A JSDoc block for `text` at `indent`, or nothing when there is no text. Safe against `*\/` in spec prose. */
export function docComment(text: string, indent: string): string {
  const lines = cleanDoc(text);
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/** Spec prose as JSDoc lines: trimmed, comment terminators escaped, runs of blank lines folded. */
export function cleanDoc(text: string): string[] {
  const lines = text
    .replace(/\*\//g, '*\\/')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd().replace(/^\s+/, ''));
  const folded: string[] = [];
  for (const line of lines) {
    if (line === '' && (folded.length === 0 || folded.at(-1) === '')) continue;
    folded.push(line);
  }
  while (folded.at(-1) === '') folded.pop();
  return folded;
}

/** ts-morph `docs` for spec prose: none when there is no text. */
export function jsDocs(text: string): { description: string }[] {
  const lines = cleanDoc(text);
  return lines.length ? [{ description: lines.join('\n') }] : [];
}
