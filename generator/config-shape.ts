import { GeneratorError } from './errors.js';

/**
 * The shape a YAML configuration must have, and its validator: what is wrong, where (line and column, by `where`),
 * and what to write instead. The configuration's own shape is in `config.ts`, the mock's section in `mock/settings.ts`.
 */
export type Shape =
  | { kind: 'string'; pattern?: RegExp; patternHint?: string }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'list'; items: Shape }
  | { kind: 'object'; fields: Record<string, { shape: Shape; required?: boolean }> }
  | { kind: 'map'; values: Shape; keyPattern?: RegExp; keyHint?: string };

/** "line L, column C" of the value at `at` (or of its key). */
export type Locate = (at: string[], key?: boolean) => string;

export function validate(node: unknown, shape: Shape, at: string[], file: string, where: Locate): void {
  const label = at.length ? at.join('.') : 'the document';
  function fail(problem: string, fix: string): never {
    throw new GeneratorError(file, [where(at), at.join('.')].filter(Boolean).join(', '), `${label}: ${problem}`, fix);
  }
  if (shape.kind === 'number') {
    if (typeof node !== 'number') fail(`expected a number, got ${describe(node)}`, `write ${label} as a number`);
    const value = node as number;
    if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max))
      fail(`${value} is out of range`, `use a value from ${shape.min ?? '-∞'} to ${shape.max ?? '∞'}`);
    return;
  }
  if (shape.kind === 'boolean') {
    if (typeof node !== 'boolean')
      fail(`expected true or false, got ${describe(node)}`, `write ${label}: true or ${label}: false`);
    return;
  }
  if (shape.kind === 'list') {
    if (!Array.isArray(node))
      fail(`expected a list, got ${describe(node)}`, `write ${label} as a YAML list (- item lines)`);
    for (const [i, item] of node.entries()) validate(item, shape.items, [...at, String(i)], file, where);
    return;
  }
  if (shape.kind === 'string') {
    if (typeof node !== 'string') fail(`expected a string, got ${describe(node)}`, `write ${label} as a quoted string`);
    const value = node as string;
    if (shape.pattern && !shape.pattern.test(value))
      fail(`"${value}" is not ${shape.patternHint}`, `set ${label} to ${shape.patternHint}`);
    return;
  }
  if (!isMapping(node))
    fail(`expected a mapping, got ${describe(node)}`, `write ${label} as a YAML mapping (key: value lines)`);
  for (const [key, value] of Object.entries(node)) {
    if (shape.kind === 'object') {
      const field = shape.fields[key];
      if (!field) {
        const known = Object.keys(shape.fields).join(', ');
        throw new GeneratorError(
          file,
          where([...at, key], true),
          `${label}: unknown key "${key}"`,
          `remove it or use one of: ${known}`,
        );
      }
      validate(value, field.shape, [...at, key], file, where);
    } else {
      if (shape.keyPattern && !shape.keyPattern.test(key)) {
        throw new GeneratorError(
          file,
          where([...at, key], true),
          `${label}: key "${key}" is not ${shape.keyHint}`,
          `rename the key to ${shape.keyHint}`,
        );
      }
      validate(value, shape.values, [...at, key], file, where);
    }
  }
  if (shape.kind === 'object') {
    for (const [key, field] of Object.entries(shape.fields)) {
      if (field.required && !(key in node))
        fail(`missing required key "${key}"`, `add ${[...at, key].join('.')} (see README)`);
    }
  }
  if (shape.kind === 'map' && Object.keys(node).length === 0)
    fail('must not be empty', `add at least one entry to ${label}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
