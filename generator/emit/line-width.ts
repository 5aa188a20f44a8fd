import { LINE_WIDTH } from './docs.js';

/**
 * The generated module with its code lines over `width` broken the way the repository's formatter breaks them: the
 * first bracket on the line whose contents are a list (of parameters, arguments, array items, object members, import
 * names, or union members) gets one item per line, indented one step, commas trailing; the lines made are broken
 * again where still too long. Lines it cannot break stay as they are: comments (`wrapDoc` wraps the doc comments), a
 * single long string, and any line whose brackets do not pair up as this reading of them expects.
 */
export function fitToWidth(text: string, width = LINE_WIDTH): string {
  const lines = text.split('\n');
  let fitted: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length <= width && fitted === undefined) continue;
    fitted ??= lines.slice(0, i);
    if (line.length <= width) fitted.push(line);
    else fitted.push(...fitLine(line, width));
  }
  return fitted ? fitted.join('\n') : text;
}

function fitLine(line: string, width: number): string[] {
  const trimmed = line.trimStart();
  if (line.length <= width || trimmed.startsWith('*') || trimmed.startsWith('/*') || trimmed.startsWith('//'))
    return [line];
  const group = firstList(line);
  if (!group) return fitUnion(line, width);
  const indent = line.slice(0, line.length - trimmed.length);
  const inner = `${indent}  `;
  const items = group.items.map((item) => item.trim()).filter(Boolean);
  const lines =
    group.separator === '|'
      ? items.map((item) => `${inner}| ${item}`)
      : // A type-argument list takes no trailing comma.
        items.map((item, i) => `${inner}${item}${line[group.open] === '<' && i === items.length - 1 ? '' : ','}`);
  return [line.slice(0, group.open + 1), ...lines, `${indent}${line.slice(group.close)}`].flatMap((l) =>
    fitLine(l, width),
  );
}

/**
 * A property or type alias whose type is a union no bracket holds, one member a line after the name:
 * `name?:` / `  | A` / `  | B;`.
 */
function fitUnion(line: string, width: number): string[] {
  const head = /^(\s*)((?:'[^']*'|[\w$]+)\??:|(?:export )?type [\w$]+ =) /.exec(line);
  if (!head) return [line];
  const type = line.slice(head[0].length);
  const end = type.endsWith(';') ? ';' : '';
  const members = topLevelUnion(type.slice(0, type.length - end.length));
  if (members.length < 2) return [line];
  const inner = `${head[1]}  `;
  return [
    `${head[1]}${head[2]}`,
    ...members.map((m, i) => `${inner}| ${m.trim()}${i === members.length - 1 ? end : ''}`),
  ].flatMap((l) => fitLine(l, width));
}

/** The members of a union outside any bracket (`A | B[] | null` → three), or the type alone. */
function topLevelUnion(type: string): string[] {
  const members: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = endOfString(type, i);
      if (i < 0) return [type];
    } else if (c === '(' || c === '[' || c === '{' || (c === '<' && /[\w$]/.test(type[i - 1] ?? ''))) depth++;
    else if (c === ')' || c === ']' || c === '}' || (c === '>' && type[i - 1] !== '=')) depth--;
    else if (c === '|' && depth === 0) {
      members.push(type.slice(start, i));
      start = i + 1;
    }
  }
  return [...members, type.slice(start)];
}

interface List {
  /** Offsets of the opening and the closing bracket. */
  open: number;
  close: number;
  separator: ',' | '|';
  items: string[];
}

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** The first outermost bracket pair whose contents hold a top-level `,` (or else `|`), with the items between them. */
function firstList(line: string): List | undefined {
  const stack: { bracket: string; at: number; commas: number[]; bars: number[] }[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"' || c === '`') {
      i = endOfString(line, i);
      if (i < 0) return undefined;
      continue;
    }
    if (c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) return undefined;
    // `<` opens type arguments only right after a name (`Array<`); `=>` and comparisons are no brackets.
    const opens = c === '<' ? /[\w$]/.test(line[i - 1] ?? '') : c in CLOSING;
    if (opens) {
      stack.push({ bracket: c, at: i, commas: [], bars: [] });
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '>' && top?.bracket !== '<') continue;
    if (c === ')' || c === ']' || c === '}' || c === '>') {
      if (!top || CLOSING[top.bracket] !== c) return undefined;
      stack.pop();
      // A union is cut only in type arguments and parentheses: in braces, a bar belongs to one member's type.
      const cuts = top.commas.length > 0 ? top.commas : top.bracket === '<' || top.bracket === '(' ? top.bars : [];
      if (stack.length === 0 && cuts.length > 0) {
        const bounds = [top.at, ...cuts, i];
        return {
          open: top.at,
          close: i,
          separator: cuts === top.commas ? ',' : '|',
          items: bounds.slice(1).map((end, k) => line.slice(bounds[k]! + 1, end)),
        };
      }
      continue;
    }
    if (c === ',') top?.commas.push(i);
    if (c === '|' && line[i + 1] !== '|' && line[i - 1] !== '|') top?.bars.push(i);
  }
  return undefined;
}

/** The offset of the quote closing the string or template literal that opens at `start` (-1: none on the line). */
function endOfString(line: string, start: number): number {
  const quote = line[start]!;
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === quote) return i;
    else if (quote === '`' && c === '$' && line[i + 1] === '{') {
      // A substitution: skip to its closing brace, past any strings inside it.
      let depth = 0;
      for (i++; i < line.length; i++) {
        const d = line[i]!;
        if (d === "'" || d === '"' || d === '`') i = endOfString(line, i);
        if (i < 0) return -1;
        if (d === '{') depth++;
        else if (d === '}' && --depth === 0) break;
      }
    }
  }
  return -1;
}
