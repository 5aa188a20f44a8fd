import { LINE_WIDTH, wrapDoc } from '../docs.js';
import { fitToWidth } from '../line-width.js';
import type { FragmentUnit } from './fragments.js';
import { loadTypescript } from './transform.js';

// openapi-typescript's syntax tree printed member by member, in the style of the rest of the package.

/** The members of openapi-typescript's output, printed, by group (`paths`, `operations`, `components.schemas`, …). */
export function printMembers(ast: readonly import('typescript').Node[]): FragmentUnit['members'] {
  const ts = loadTypescript();
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const file = ts.createSourceFile('openapi.ts', '', ts.ScriptTarget.ESNext, false, ts.ScriptKind.TS);
  const members: FragmentUnit['members'] = {};
  const keep = (group: string, list: readonly TsTypeElement[]) => {
    members[group] = list.map((m) => [
      memberName(m),
      fitToWidth(inOurStyle(printer.printNode(ts.EmitHint.Unspecified, m, file), 2 * depthOf(group))),
    ]);
  };
  for (const node of ast) {
    if (!ts.isInterfaceDeclaration(node)) continue;
    if (node.name.text !== 'components') {
      keep(node.name.text, node.members);
      continue;
    }
    for (const group of node.members) {
      const type = ts.isPropertySignature(group) ? group.type : undefined;
      keep(`components.${memberName(group)}`, type && ts.isTypeLiteralNode(type) ? type.members : []);
    }
  }
  return members;
}

type TsTypeElement = import('typescript').TypeElement;

/**
 * TypeScript's printing in the style of the rest of the package (biome.json), at `pad` spaces: two spaces a level
 * where it indents by four, single quotes where it writes double ones (but around a text that holds a single quote),
 * doc comments wrapped at the line width.
 */
export function inOurStyle(printed: string, pad: number): string {
  return printed
    .split('\n')
    .flatMap((line) => {
      const own = line.length - line.trimStart().length;
      const indent = ' '.repeat(pad + Math.floor(own / 4) * 2 + (own % 4));
      const code = line.slice(own);
      if (code.startsWith('/**') || code.startsWith('*')) return docLines(code, indent);
      const requoted = code.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, text: string) =>
        text.includes("'") ? quoted : `'${text.replace(/\\"/g, '"')}'`,
      );
      return [`${indent}${requoted}`];
    })
    .join('\n');
}

/** A line of a doc comment at `indent`, wrapped where it passes the line width (a one-line comment becomes a block). */
function docLines(code: string, indent: string): string[] {
  if (indent.length + code.length <= LINE_WIDTH) return [`${indent}${code}`];
  const oneLine = /^\/\*\* (.*) \*\/$/.exec(code);
  const text = oneLine ? oneLine[1]! : code.startsWith('* ') ? code.slice(2) : undefined;
  if (text === undefined) return [`${indent}${code}`];
  const wrapped = wrapDoc([text], LINE_WIDTH - indent.length - 3).map((l) => `${indent} * ${l}`);
  return oneLine ? [`${indent}/**`, ...wrapped, `${indent} */`] : wrapped;
}

/** How deep a group's members sit in the module: `paths: { member }`, `components: { schemas: { member } }`. */
function depthOf(group: string): number {
  return group.startsWith('components.') ? 2 : 1;
}

function memberName(member: TsTypeElement): string {
  const name = member.name as { text?: string } | undefined;
  return name?.text ?? '';
}
