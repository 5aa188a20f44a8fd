import type { ApiModel, IrType, Operation } from './model.js';

/**
 * The one walk over IR types: which named schemas a type refers to, and everything it reaches through them. Module
 * placement and keys, imports, XML mappings and a generation's inputs all follow references this way.
 */

/** The named schemas a type refers to itself (through arrays and inline objects, not through the schemas). */
export function directRefs(type: IrType | undefined, into = new Set<string>()): Set<string> {
  if (!type) return into;
  if (type.kind === 'ref') into.add(type.id);
  else if (type.kind === 'array') directRefs(type.items, into);
  else if (type.kind === 'object') for (const p of type.properties) directRefs(p.type, into);
  return into;
}

/** Every named schema the types reach, through the schemas they refer to, and so on (ids `model` lacks included). */
export function reachable(types: Iterable<IrType | undefined>, model: ApiModel, into = new Set<string>()): Set<string> {
  const pending = [...types];
  while (pending.length) {
    for (const id of directRefs(pending.pop())) {
      if (into.has(id)) continue;
      into.add(id);
      pending.push(model.schemas[id]?.type);
    }
  }
  return into;
}

/** An operation's body types: its request's and its answer's, where it has them. */
export function bodyTypes(op: Operation): IrType[] {
  return [op.requestBody?.type, op.response.type].filter((type): type is IrType => type !== undefined);
}
