import type { ApiModel, DocumentedValues, Parameter } from './model.js';

/**
 * The values a parameter's description enumerates (`view`: "Currently supported: full, brief"; `expand`: "p_avail -
 * Expand physical inventory …"), and whether it takes several, comma-separated ("To get more than one, use a comma
 * separator"). Only what reads as a list of values counts: a description that sends the reader to a code table, or
 * whose list holds anything but plain codes, gives nothing (a wrong value in a type is worse than none).
 */
export function documentedValues(
  p: Pick<Parameter, 'wireName' | 'description' | 'enum' | 'type'>,
): DocumentedValues | undefined {
  if (p.enum?.length || p.type !== 'string') return undefined;
  const text = p.description.replace(/\s+/g, ' ').trim();
  if (!text || /code table|code-tables|\bAPI\]|retrieved using/i.test(text)) return undefined;
  const values = definitionList(text) ?? introducedList(text) ?? slashList(text) ?? assignments(p.wireName, text);
  if (!values || values.length < 1) return undefined;
  const multiple =
    /comma[- ]separat|more than one|, ?use a comma/i.test(text) || new RegExp(`\\b${p.wireName}=\\w+,\\w+`).test(text);
  return { values, multiple, text };
}

/** A plain code: letters, digits, `_` and `-`, starting with a letter. */
const CODE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** "Possible values: a, b or c", "Valid values are A, B", "Currently supported: x", "May be ALL, Subset or Ratio". */
const INTRODUCERS = [
  /possible values(?: are)?:?/i,
  /valid values(?: are)?:?/i,
  /currently supported:/i,
  /supported values(?: are)?:?/i,
  /the (?:options|choices) are:?/i,
  /\bmay be\b/i,
  /the order by options are/i,
  /(?:a )?few sort options are available(?: \([^)]*\))?:?/i,
  /ordering may be selected by/i,
  /the values that can be used are/i,
  /only one option is available:/i,
  /sort direction of/i,
];

function introducedList(text: string): string[] | undefined {
  for (const introducer of INTRODUCERS) {
    const match = introducer.exec(text);
    if (!match) continue;
    const rest = text.slice(match.index + match[0].length);
    // The list runs to the end of its sentence: a full stop followed by a space or the end.
    const sentence = rest.split(/\.(?:\s|$)/)[0] ?? '';
    const values = splitList(sentence);
    if (values) return values;
  }
  return undefined;
}

/** `a, b, c and d`, `A/B`, `{A|B}`, `'x' or 'y'`, `asc (default) or desc` → the codes, or nothing if any part is not one. */
function splitList(sentence: string): string[] | undefined {
  const cleaned = sentence
    .replace(/[{}]/g, '')
    .replace(/\((?:default|optional)\)/gi, '')
    .replace(/\s+-\s+[^,;]*/g, '')
    .trim();
  const parts = cleaned
    .split(/\s*(?:,|\bor\b|\band\b|\||\/|&)\s*/i)
    .map((part) => part.trim().replace(/^['"`]|['"`]$/g, ''))
    .filter(Boolean);
  if (parts.length === 0 || !parts.every((part) => CODE.test(part))) return undefined;
  return unique(parts);
}

/**
 * Codes each defined after a dash, at the start of a sentence or after a colon or semicolon: "p_avail - Expand
 * physical …. e_avail - …", "loans-Include the total number of loans; requests-Include …", "full - full User object
 * …. brief - only …".
 */
function definitionList(text: string): string[] | undefined {
  const values = [...text.matchAll(/(?:^|[:;.]\s+)([a-z][a-z0-9_]*)(?:\s-\s|-(?=[A-Z]))/g)].map((m) => m[1]!);
  return values.length >= 2 ? unique(values) : undefined;
}

/** "ACTIVE/INACTIVE", "MANUAL/SCHEDULED/OTHER", "full / brief". */
function slashList(text: string): string[] | undefined {
  // A slash with a space on one side only is a path ("as in /jobs/{id}"), not a list.
  const match = /\b([A-Za-z][A-Za-z0-9_]*(?:(?:\/| \/ )[A-Za-z][A-Za-z0-9_]*)+)\b(?!\/)/.exec(text);
  if (!match || text[match.index - 1] === '/') return undefined;
  return unique(match[1]!.split(/ ?\/ ?/));
}

/** "Use view=brief …", "op=auth or op=refresh", "If expand=url …": the values the text assigns to this parameter. */
function assignments(name: string, text: string): string[] | undefined {
  const values = [...text.matchAll(new RegExp(`\\b${name}=([A-Za-z][A-Za-z0-9_,-]*)`, 'g'))].flatMap((m) =>
    m[1]!.split(',').filter(Boolean),
  );
  return values.length ? unique(values) : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Marks every query parameter whose description enumerates its values (`Parameter.documented`). */
export function markDocumentedValues(model: ApiModel): void {
  for (const op of model.areas.flatMap((a) => a.operations)) {
    for (const p of op.queryParams) {
      if (p.wireName === 'q') continue;
      const documented = documentedValues(p);
      // The spec's default is one of the values, said or not (an item's `view` defaults to `brief`).
      if (documented && typeof p.default === 'string' && !documented.values.includes(p.default))
        documented.values.push(p.default);
      if (documented) p.documented = documented;
    }
  }
}
