import { tsType } from '../emit/types.js';
import type { ApiModel, IrType, NamedSchema, Operation, Parameter } from '../ir/model.js';
import { ModuleNames } from '../emit/names.js';

/** One difference between two spec states, as users of the generated package feel it. */
export interface Change {
  kind:
    | 'operation-added'
    | 'operation-removed'
    | 'parameter-added'
    | 'parameter-removed'
    | 'parameter-changed'
    | 'request-type-changed'
    | 'response-type-changed'
    | 'field-added'
    | 'field-removed'
    | 'field-retyped'
    | 'error-code-added'
    | 'error-code-removed'
    | 'search-changed'
    | 'values-changed';
  /** Code written against the old package may no longer compile or behave the same. */
  breaking: boolean;
  /** The area, or `schemas` for type changes. */
  area: string;
  /** What changed: `GET /almaws/v1/users/{user_id}` or `User.primary_id`. */
  subject: string;
  detail: string;
}

/** Every change from `before` to `after`, breaking ones first, then by area and subject. Pure. */
export function changeReport(before: ApiModel, after: ApiModel): Change[] {
  const changes: Change[] = [];
  const ops = (model: ApiModel) =>
    new Map(model.areas.flatMap((a) => a.operations).map((op) => [`${op.method} ${op.path}`, op]));
  const oldOps = ops(before);
  const newOps = ops(after);
  for (const [key, op] of newOps) {
    const old = oldOps.get(key);
    if (!old)
      changes.push({
        kind: 'operation-added',
        breaking: false,
        area: op.area,
        subject: key,
        detail: `new function ${op.exportName}`,
      });
    else changes.push(...operationChanges(old, op, before, after));
  }
  for (const [key, op] of oldOps) {
    if (!newOps.has(key))
      changes.push({
        kind: 'operation-removed',
        breaking: true,
        area: op.area,
        subject: key,
        detail: `${op.exportName} is gone`,
      });
  }
  changes.push(...schemaChanges(before, after));
  return changes.sort(
    (a, b) =>
      Number(b.breaking) - Number(a.breaking) ||
      a.area.localeCompare(b.area) ||
      a.subject.localeCompare(b.subject) ||
      a.kind.localeCompare(b.kind),
  );
}

/**
 * What Ex Libris' wording decides: the fields a brief search takes (a field gone breaks a structured query that
 * names it) and a parameter's documented values (any string is still accepted: never breaking).
 */
function readFactChanges(
  old: Operation,
  op: Operation,
  base: { area: string; subject: string },
  newParams: Map<string, Parameter>,
  oldParams: Map<string, Parameter>,
): Change[] {
  const changes: Change[] = [];
  const listed = (values: string[]) => values.join(', ') || 'none';
  const oldFields = old.search?.fields ?? [];
  const newFields = op.search?.fields ?? [];
  const gone = oldFields.filter((f) => !newFields.includes(f));
  const added = newFields.filter((f) => !oldFields.includes(f));
  if (gone.length || added.length)
    changes.push({
      ...base,
      kind: 'search-changed',
      breaking: gone.length > 0,
      detail: `q fields${added.length ? ` added: ${listed(added)}` : ''}${gone.length ? ` removed: ${listed(gone)}` : ''}`,
    });
  for (const [key, p] of newParams) {
    const was = oldParams.get(key);
    const [before, after] = [was?.documented?.values ?? [], p.documented?.values ?? []];
    // A retyped parameter is reported as such (`parameter-changed`), its values with it.
    if (!was || was.type !== p.type || before.join() === after.join()) continue;
    changes.push({
      ...base,
      kind: 'values-changed',
      breaking: false,
      detail: `${p.wireName} documented values: ${listed(before)} → ${listed(after)}`,
    });
  }
  return changes;
}

function operationChanges(old: Operation, op: Operation, before: ApiModel, after: ApiModel): Change[] {
  const changes: Change[] = [];
  const subject = `${op.method} ${op.path}`;
  const base = { area: op.area, subject };
  const params = (o: Operation) =>
    new Map([...o.pathParams, ...o.queryParams, ...o.headerParams].map((p) => [`${p.in}:${p.wireName}`, p]));
  const oldParams = params(old);
  const newParams = params(op);
  for (const [key, p] of newParams) {
    const was = oldParams.get(key);
    if (!was)
      changes.push({
        ...base,
        kind: 'parameter-added',
        breaking: p.required,
        detail: `${p.in} parameter ${p.wireName} (${p.name}${p.required ? ', required' : ''})`,
      });
    else {
      const difference = parameterDifference(was, p);
      if (difference)
        changes.push({
          ...base,
          kind: 'parameter-changed',
          breaking: difference.breaking,
          detail: `${p.wireName}: ${difference.detail}`,
        });
    }
  }
  for (const [key, p] of oldParams) {
    if (!newParams.has(key))
      changes.push({
        ...base,
        kind: 'parameter-removed',
        breaking: true,
        detail: `${p.in} parameter ${p.wireName} (${p.name})`,
      });
  }
  changes.push(...readFactChanges(old, op, base, newParams, oldParams));
  const typeName = (model: ApiModel, type: IrType | undefined) =>
    type ? tsType(type, new ModuleNames(model)) : 'nothing';
  const [oldRequest, newRequest] = [typeName(before, old.requestBody?.type), typeName(after, op.requestBody?.type)];
  if (oldRequest !== newRequest)
    changes.push({
      ...base,
      kind: 'request-type-changed',
      breaking: true,
      detail: `body ${oldRequest} → ${newRequest}`,
    });
  const [oldResponse, newResponse] = [typeName(before, old.response.type), typeName(after, op.response.type)];
  if (oldResponse !== newResponse)
    changes.push({
      ...base,
      kind: 'response-type-changed',
      breaking: true,
      detail: `returns ${oldResponse} → ${newResponse}`,
    });
  const codes = (o: Operation) => new Map(o.errorCodes.map((c) => [c.code, c.message]));
  const [oldCodes, newCodes] = [codes(old), codes(op)];
  for (const [code, message] of newCodes)
    if (!oldCodes.has(code))
      changes.push({ ...base, kind: 'error-code-added', breaking: false, detail: `${code} - ${message}` });
  // isAlmaError narrows codes to the documented ones: code that compares with a removed code no longer compiles.
  for (const [code, message] of oldCodes)
    if (!newCodes.has(code))
      changes.push({ ...base, kind: 'error-code-removed', breaking: true, detail: `${code} - ${message}` });
  return changes;
}

function parameterDifference(was: Parameter, now: Parameter): { breaking: boolean; detail: string } | undefined {
  const parts: string[] = [];
  let breaking = false;
  if (was.type !== now.type) {
    parts.push(`type ${was.type} → ${now.type}`);
    breaking = true;
  }
  if (was.required !== now.required) {
    parts.push(now.required ? 'now required' : 'now optional');
    breaking ||= now.required;
  }
  if (JSON.stringify(was.enum ?? []) !== JSON.stringify(now.enum ?? [])) {
    parts.push(`values ${JSON.stringify(was.enum ?? 'any')} → ${JSON.stringify(now.enum ?? 'any')}`);
    breaking ||=
      (was.enum ?? []).some((v) => !(now.enum ?? [v]).includes(v)) ||
      (now.enum !== undefined && was.enum === undefined);
  }
  if (JSON.stringify(was.default) !== JSON.stringify(now.default))
    parts.push(`default ${JSON.stringify(was.default)} → ${JSON.stringify(now.default)}`);
  return parts.length ? { breaking, detail: parts.join(', ') } : undefined;
}

/** Field changes of the types both states have, matched by their TypeScript name. */
function schemaChanges(before: ApiModel, after: ApiModel): Change[] {
  const changes: Change[] = [];
  const byName = (model: ApiModel) => new Map(Object.values(model.schemas).map((s) => [s.tsName, s]));
  const oldSchemas = byName(before);
  for (const schema of byName(after).values()) {
    const old = oldSchemas.get(schema.tsName);
    if (!old) continue;
    const oldFields = fields(old, before);
    const newFields = fields(schema, after);
    const base = { area: 'schemas' };
    for (const [name, field] of newFields) {
      const was = oldFields.get(name);
      if (!was)
        changes.push({
          ...base,
          kind: 'field-added',
          breaking: field.required,
          subject: `${schema.tsName}.${name}`,
          detail: `${field.type}${field.required ? ' (required)' : ''}`,
        });
      else if (was.type !== field.type)
        changes.push({
          ...base,
          kind: 'field-retyped',
          breaking: true,
          subject: `${schema.tsName}.${name}`,
          detail: `${was.type} → ${field.type}`,
        });
    }
    for (const [name, field] of oldFields) {
      if (!newFields.has(name))
        changes.push({
          ...base,
          kind: 'field-removed',
          breaking: true,
          subject: `${schema.tsName}.${name}`,
          detail: field.type,
        });
    }
  }
  return changes;
}

function fields(schema: NamedSchema, model: ApiModel): Map<string, { type: string; required: boolean }> {
  if (schema.type.kind !== 'object') return new Map();
  const names = new ModuleNames(model);
  return new Map(
    schema.type.properties.map((p) => [
      p.name,
      { type: tsType(p.type, names).replace(/\s+/g, ' '), required: p.required },
    ]),
  );
}

/** The report for people: one line per change, breaking ones marked, and a count. */
export function formatChanges(changes: Change[]): string {
  if (changes.length === 0) return 'No changes.\n';
  const breaking = changes.filter((c) => c.breaking).length;
  const lines = changes.map(
    (c) =>
      `${c.breaking ? 'BREAKING ' : '         '} ${c.kind.padEnd(21)} ${c.area.padEnd(10)} ${c.subject}: ${c.detail}`,
  );
  return `${lines.join('\n')}\n\n${changes.length} change${changes.length === 1 ? '' : 's'}, ${breaking} breaking.\n`;
}
