import type { ApiModel, IrType } from './model.js';

/**
 * Whether a value of type `from` is always a valid `to`, as TypeScript would judge the emitted types: every property
 * `to` requires is required in `from`, every shared property assignable, enumerations narrower or equal. Used to
 * emit a read-modify-write helper only where the record a GET returns can be PUT back as it is. Recursive schemas
 * are assumed to agree past a depth of 8.
 */
export function isAssignable(from: IrType, to: IrType, model: ApiModel, depth = 0): boolean {
  if (to.kind === 'unknown') return true;
  if (from.kind === 'ref' && to.kind === 'ref' && from.id === to.id) return true;
  if (depth > 8) return true;
  const resolve = (type: IrType): IrType | undefined => (type.kind === 'ref' ? model.schemas[type.id]?.type : type);
  const source = resolve(from);
  const target = resolve(to);
  if (!source || !target) return false;
  if (source.kind === 'ref' || target.kind === 'ref') return isAssignable(source, target, model, depth + 1);
  if (target.kind === 'unknown') return true;
  if (source.kind === 'union') return source.types.every((t) => isAssignable(t, target, model, depth + 1));
  if (target.kind === 'union') return target.types.some((t) => isAssignable(source, t, model, depth + 1));
  if (target.kind === 'document') return source.kind === 'object' || source.kind === 'document';
  switch (target.kind) {
    case 'string':
      return (
        source.kind === 'string' && (!target.enum || (source.enum?.every((v) => target.enum!.includes(v)) ?? false))
      );
    case 'integer':
    case 'number':
      return source.kind === 'integer' || source.kind === 'number';
    case 'boolean':
      return source.kind === 'boolean';
    case 'file':
      return source.kind === 'file';
    case 'array':
      return source.kind === 'array' && isAssignable(source.items, target.items, model, depth + 1);
    case 'object': {
      if (source.kind !== 'object') return false;
      return target.properties.every((wanted) => {
        const present = source.properties.find((p) => p.name === wanted.name);
        if (!present) return !wanted.required;
        if (wanted.required && !present.required) return false;
        return isAssignable(present.type, wanted.type, model, depth + 1);
      });
    }
  }
}
