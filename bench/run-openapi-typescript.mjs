// Runs openapi-typescript 7 over bundled (self-contained) specs: types only, one file per area.
// Usage: node bench/run-openapi-typescript.mjs <bundled-dir> <out-dir>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const [bundled, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
for (const file of readdirSync(bundled)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const spec = JSON.parse(readFileSync(path.join(bundled, file), 'utf8'));
  const ast = await openapiTS(spec, { silent: true });
  writeFileSync(path.join(out, file.replace(/\.json$/, '.d.ts')), astToString(ast));
}
