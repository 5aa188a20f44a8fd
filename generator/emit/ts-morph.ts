import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import { requireWithCompileCache } from '../load/compile-cache.js';

/**
 * ts-morph, loaded with `require`: it is CommonJS, and importing it from ESM makes Node scan the whole module for
 * its export names first, which costs a few hundred milliseconds on every run.
 */
const tsMorph = requireWithCompileCache<typeof TsMorph>(createRequire(import.meta.url), 'ts-morph');

export const { StructureKind } = tsMorph;
export type {
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
} from 'ts-morph';

/**
 * A module's text from its structures, printed by ts-morph's structure printers: the text `createSourceFile` would
 * hold, without parsing it into a syntax tree nobody reads (that parse was half of the emit time).
 */
export function printStatements(
  statements: TsMorph.StatementStructures[] | (TsMorph.StatementStructures | string)[],
): string {
  return tsMorph.printStructure(
    { kind: tsMorph.StructureKind.SourceFile, statements },
    { indentNumberOfSpaces: 2, useSingleQuote: true },
  );
}
