import type { NamedSchema, Operation } from '../ir/model.js';

/**
 * The names the generated package gives what it prints beside the IR's names (an operation's `exportName`, a schema's
 * `tsName`, both from `ir/naming.ts`): each derived here alone, so that a module and the helpers that refer to it agree.
 */

/** The parameters interface of an operation: `getUser` → `GetUserParams`. */
export function paramsTypeName(op: Operation): string {
  return `${op.exportName.charAt(0).toUpperCase()}${op.exportName.slice(1)}Params`;
}

/** The descriptor constant of an operation: `getUser` → `getUserOperation`. */
export function descriptorName(op: Operation): string {
  return `${op.exportName}Operation`;
}

/** The name of the update helper of a GET + PUT pair: `getUser` → `updateUser`. */
export function updateHelperName(get: Operation): string {
  return get.exportName.startsWith('get')
    ? `update${get.exportName.slice(3)}`
    : `update${get.exportName.charAt(0).toUpperCase()}${get.exportName.slice(1)}`;
}

/** The verified MARC save of a GET + PUT pair: `getBib` → `updateBibMarc`. */
export function marcHelperName(get: Operation): string {
  return `${updateHelperName(get)}Marc`;
}

/** The constant's name for a schema's XML mapping: `User` → `UserXml`. */
export function xmlConstName(schema: NamedSchema): string {
  return `${schema.tsName}Xml`;
}

/** The type of the fields an operation's brief search takes: `listUsers` → `ListUsersSearchField`. */
export function searchFieldTypeName(op: Operation): string {
  return `${op.exportName.charAt(0).toUpperCase()}${op.exportName.slice(1)}SearchField`;
}

/** The helper that takes any number of ids: `listBibs` → `listBibsByIds`. */
export function byIdsHelperName(op: Operation): string {
  return `${op.exportName}ByIds`;
}
