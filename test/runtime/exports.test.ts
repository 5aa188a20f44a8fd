import path from 'node:path';
import { Project } from 'ts-morph';
import { expect, test } from 'vitest';
import { RUNTIME_EXPORTS } from '../../generator/ir/naming.js';
import { REPO } from '../helpers/specs.js';

test('schema names avoid exactly what the runtime (and the errorCodes module) export', () => {
  const project = new Project({
    tsConfigFilePath: path.join(REPO, 'tsconfig.json'),
    skipAddingFilesFromTsConfig: true,
  });
  const index = project.addSourceFileAtPath(path.join(REPO, 'runtime/index.ts'));
  project.resolveSourceFileDependencies();
  const exported = [...index.getExportedDeclarations().keys(), 'errorCodes'].sort();
  expect([...RUNTIME_EXPORTS].sort()).toEqual(exported);
});
