import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { GeneratorError } from '../errors.js';

/**
 * YAML (its core schema: no custom tags); a syntax error is a `GeneratorError` at its line and column. One library
 * for every YAML the tool reads (specs, the configuration): `yaml`, whose syntax tree also locates a configuration
 * mistake (`locateYaml`). The specs it parses are cached between generations (`pipeline/parsed-cache.ts`).
 */
export function parseYaml(text: string, file: string, say: { problem: string; fix: string }): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { schema: 'core', lineCounter, prettyErrors: false, uniqueKeys: false });
  const [error] = document.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new GeneratorError(file, `line ${line}, column ${col}`, `${say.problem}: ${reason}`, say.fix);
  }
  return document.toJS({ maxAliasCount: 1000 });
}

/** "line L, column C" of the value at `at` (or of its key) in YAML text, or '' when nothing is there. */
export function locateYaml(text: string, at: readonly string[], key = false): string {
  const lineCounter = new LineCounter();
  let node: unknown = parseDocument(text, { lineCounter }).contents;
  let keyNode: unknown;
  for (const step of at) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
      [keyNode, node] = [pair?.key, pair?.value];
    } else {
      [keyNode, node] = [undefined, isSeq(node) ? node.items[Number(step)] : undefined];
    }
  }
  const offset = ((key ? keyNode : node) as { range?: [number, number, number] } | undefined)?.range?.[0];
  if (offset === undefined) return '';
  const { line, col } = lineCounter.linePos(offset);
  return `line ${line}, column ${col}`;
}
