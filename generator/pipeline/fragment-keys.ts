import path from 'node:path';
import { hashFile, sha256 } from '../base/hash.js';
import { openapiTypescriptVersion } from '../emit/openapi/transform.js';
import type { ApiModel } from '../ir/model.js';
import { areaInputs } from './manifest.js';

/**
 * Per area, a key of everything its fragment is made from, without bundling: its input files with their hashes (the
 * spec, the schema files and XSDs it reaches: `areaInputs`), every schema's TypeScript name (stand-ins and hoisted
 * schemas are named by them), the generator's code and openapi-typescript's version.
 */
export function fragmentKeys(model: ApiModel, specDir: string, codeHash: string): Record<string, string> {
  const names = sha256(JSON.stringify(Object.values(model.schemas).map((s) => [s.id, s.tsName])));
  const common = `${openapiTypescriptVersion()}\u0000${codeHash}\u0000${names}`;
  return Object.fromEntries(
    Object.entries(areaInputs(model, specDir)).map(([area, files]) => [
      area,
      sha256(`${common}\u0000${JSON.stringify(files.map((f) => [f, hashFile(path.join(specDir, f))]))}`),
    ]),
  );
}
