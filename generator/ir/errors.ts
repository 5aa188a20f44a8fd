import type { ErrorCode, ErrorKind, Operation } from './model.js';

/**
 * What each documented error code means to a caller, found once here from the spec's message and read by the emitter
 * (`notFoundCodes` of a descriptor), the runtime (through it) and the mock (which code it answers with): nothing else
 * matches Alma's messages.
 */
export function errorKindOf(message: string): ErrorKind {
  if (NOT_FOUND.test(message)) return 'not-found';
  if (DUPLICATE.test(message)) return 'duplicate';
  if (LIMIT.test(message)) return 'limit';
  if (INVALID.test(message)) return 'invalid';
  return 'other';
}

// "… was not found", "… does not exist", "Invalid set ID." (an identifier that names nothing).
const NOT_FOUND = /\bnot (be )?found\b|\bdoes not exist\b|\bno such\b|\bunknown\b.*\bid\b|^invalid [\w -]*\bid\b/i;
const DUPLICATE = /already exists/i;
// Jobs' "Execution threshold reached" (402222/402223) and the like: the call may succeed later.
const LIMIT = /threshold|too many|limit (was |has been )?reached/i;
const INVALID = /invalid|not valid|parameter|mandatory|missing|illegal/i;

/** Alma's answer for an identifier that names nothing, when an operation documents no not-found code of its own. */
export const UNKNOWN_ID: Readonly<Pick<ErrorCode, 'code' | 'message'>> = {
  code: '402203',
  message: 'Input parameters X is not valid.',
};

/**
 * The code and message this operation answers an unknown identifier with: its own "not found", else its own
 * "X is not valid" (what Alma answers for an unknown MMS id), else Alma's general one.
 */
export function notFoundError(op: Pick<Operation, 'errorCodes'>): Pick<ErrorCode, 'code' | 'message'> {
  // Of several (a user GET lists 401890 "…X of type Y…" and 401861 "…X was not found."), the plainest: Alma answers
  // an unknown identifier of the default type with the one that names the identifier alone.
  const placeholders = (c: ErrorCode) => (c.message.match(/\b[XYZ]\b/g) ?? []).length;
  const notFound = op.errorCodes
    .filter((c) => c.kind === 'not-found')
    .sort((a, b) => placeholders(a) - placeholders(b))
    .find((c) => placeholders(c) > 0);
  return (
    notFound ??
    op.errorCodes.find((c) => c.kind === 'not-found') ??
    op.errorCodes.find((c) => /\bX\b.*not valid/.test(c.message)) ??
    UNKNOWN_ID
  );
}

/**
 * The error a list operation answers when an identifier list it was given names nothing (`GET /bibs?mms_id=1` for an
 * MMS id the institution does not hold: "Input parameter mmsId list is not valid."), if it documents one.
 */
export function unknownIdListError(op: Pick<Operation, 'errorCodes'>): ErrorCode | undefined {
  return op.errorCodes.find((c) => /\blist is not valid\b/i.test(c.message));
}

/** The code an XML-only operation answers a JSON body with (`60105 - 'JSON is not supported for this API.'`). */
export function jsonRefusedError(op: Pick<Operation, 'errorCodes'>): ErrorCode | undefined {
  return op.errorCodes.find((c) => /\bJSON is not supported\b/i.test(c.message));
}

/** The code an institution-zone operation answers when the record is not the zone's to act on (`unlink_from_nz`). */
export function zoneRefusedError(op: Pick<Operation, 'errorCodes'>): ErrorCode | undefined {
  return op.errorCodes.find((c) => /\bnot supported from the institution zone\b/i.test(c.message));
}

/** The operation's documented error of this kind, if it lists one. */
export function errorOfKind(op: Pick<Operation, 'errorCodes'>, kind: ErrorKind): ErrorCode | undefined {
  return op.errorCodes.find((c) => c.kind === kind);
}
