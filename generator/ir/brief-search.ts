import type { ApiModel, BriefSearch, Operation } from './model.js';

/**
 * Alma's brief search (`q=field~value`), as each list operation's `q` description documents it: the fields it
 * searches, the operators its examples show (`~` contains, always; `=` where an example uses it), and the
 * constraints it states ("combined with AND only"; a field "without support for the AND operator"; "some
 * combinations … cannot be used together", kept as a note). Read from the text, so a change in Ex Libris' wording
 * shows up in the generation report and in `diff`.
 */
export function briefSearchOf(description: string): BriefSearch | undefined {
  // Markdown links ("(see [Brief Search](https://…))") out first: their parentheses nest.
  const text = description
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  const examples = exampleClauses(text);
  const fields: string[] = [];
  const add = (field: string) => {
    if (!fields.includes(field)) fields.push(field);
  };
  for (const list of fieldLists(text)) {
    for (const item of list) {
      if (CODE.test(item)) add(item);
      else {
        // "external system" is the field external_system when an example says so.
        const snake = item.toLowerCase().replace(/\s+/g, '_');
        if (CODE.test(snake) && examples.some((e) => e.field === snake)) add(snake);
      }
    }
  }
  for (const example of examples) add(example.field);
  if (fields.length === 0) return undefined;
  const operators: BriefSearch['operators'] = ['~'];
  if (examples.some((e) => e.operator === '=')) operators.push('=');
  const alone = [...text.matchAll(/\b([A-Za-z_]+) \([^)]*without support for the AND operator[^)]*\)/g)].map(
    (m) => m[1]!,
  );
  const notes = [...text.matchAll(/[^.]*(?:cannot be used together|searching is limited to)[^.]*\./gi)].map((m) =>
    m[0].trim(),
  );
  return {
    param: 'q',
    fields,
    operators,
    andOnly: /combined with AND only/i.test(text),
    alone,
    notes,
    text,
  };
}

const CODE = /^[A-Za-z][A-Za-z0-9_]*$/;

const INTRODUCERS =
  /(?:available search options|searched fields|searching for fields|searching for words from|searching for words in|searching for text in|search from|search on fields from the related items(?: \([^)]*\))?)\s*:?\s*/gi;

/** Each list of fields the text introduces, to the end of its sentence, its parentheses left out. */
function fieldLists(text: string): string[][] {
  const lists: string[][] = [];
  for (const match of text.matchAll(INTRODUCERS)) {
    const rest = text.slice(match.index + match[0].length).replace(/\([^)]*\)/g, '');
    const sentence = rest.split(/\.(?:\s|$)/)[0] ?? '';
    const items = sentence
      .split(/\s*(?:,|&|\bor\b|\band\b)\s*/i)
      .map((item) => item.trim())
      .filter(Boolean)
      .flatMap(expandSlashes);
    if (items.length) lists.push(items);
  }
  return lists;
}

/** `enumeration_a/b/c` → enumeration_a, enumeration_b, enumeration_c. */
function expandSlashes(item: string): string[] {
  const match = /^([a-z_]+_)([a-z])((?:\/[a-z])+)$/.exec(item);
  if (!match) return [item];
  return [match[2]!, ...match[3]!.split('/').filter(Boolean)].map((suffix) => `${match[1]}${suffix}`);
}

/** The clauses of the text's examples: `q=last_name~Smith`, `q=amount=25`, `… AND external_id~y`, `and section~2`. */
function exampleClauses(text: string): { field: string; operator: '~' | '=' }[] {
  const clauses: { field: string; operator: '~' | '=' }[] = [];
  const decoded = text.replace(/%20/g, ' ');
  for (const match of decoded.matchAll(/(?:\bq=|\s(?:AND|OR|and|or)\s)([a-z][a-z0-9_]*)([~=])/gi))
    clauses.push({ field: match[1]!, operator: match[2] as '~' | '=' });
  return clauses;
}

/** Marks each operation with a `q` parameter whose description documents its brief search (`Operation.search`). */
export function markBriefSearch(model: ApiModel): void {
  for (const op of model.areas.flatMap((a) => a.operations) as Operation[]) {
    const q = op.queryParams.find((p) => p.wireName === 'q');
    const search = q && briefSearchOf(q.description);
    if (search) op.search = search;
  }
}
