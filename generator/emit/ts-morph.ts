import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

/**
 * ts-morph, loaded with `require`: it is CommonJS, and importing it from ESM makes Node scan the whole module for
 * its export names first, which costs a few hundred milliseconds on every run.
 */
const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;

export const { Project, StructureKind, IndentationText, QuoteKind } = tsMorph;
export type { FunctionDeclarationStructure, ImportDeclarationStructure, InterfaceDeclarationStructure, Project as TsProject, StatementStructures } from 'ts-morph';
