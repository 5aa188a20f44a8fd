import type { IrType, Operation } from './model.js';

/**
 * The format an operation must be called in whatever the client prefers (see `Operation.wireFormat`): XML where the
 * spec lists only XML media types (five bibs and holdings operations), JSON where a body is an untyped document
 * (no XML mapping is known for it). Found once here; the emitter writes it into the descriptor, the runtime and the
 * mock read it from there.
 */
export function fixedWireFormat(
  op: Pick<Operation, 'requestBody' | 'response'>,
  isUntyped: (type: IrType) => boolean,
): 'xml' | 'json' | undefined {
  const bodies = [
    op.requestBody && { mediaTypes: op.requestBody.mediaTypes, type: op.requestBody.type },
    op.response.type && { mediaTypes: op.response.mediaTypes, type: op.response.type },
  ].filter((b) => b !== undefined);
  const mediaTypes = bodies.flatMap((b) => b.mediaTypes);
  if (mediaTypes.length > 0 && mediaTypes.every((t) => t === 'application/xml')) return 'xml';
  const untyped = bodies.some((b) => isUntyped(b.type));
  return untyped && bodies.every((b) => b.mediaTypes.length === 0 || b.mediaTypes.includes('application/json'))
    ? 'json'
    : undefined;
}
