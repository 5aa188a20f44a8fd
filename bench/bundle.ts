/**
 * The cost of the generated client in a browser bundle: esbuild (minified, ESM, code splitting, as a front-end
 * build would) bundles an app that imports one operation, and one that imports the whole package; each is reported
 * minified and gzipped, the code loaded at start apart from the chunks loaded on demand (the XML codec and its
 * parser, loaded only when XML is on the wire).
 *
 *   npm run bench:bundle        (builds the package first: alma-codegen build)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { builtPackage } from './built-package.js';

const entry = path.join(builtPackage(), 'dist/esm/index.js');
const work = mkdtempSync(path.join(tmpdir(), 'alma-bundle-'));

const apps = {
  'one operation (getUser)': `import { createClient, getUser } from ${JSON.stringify(entry)};\nconst alma = createClient({ apiKey: 'k', region: 'eu' });\ngetUser(alma, { userId: 'jdoe' }).then((u) => console.log(u.primary_id));\n`,
  'the whole package': `import * as alma from ${JSON.stringify(entry)};\nconsole.log(Object.keys(alma).length, alma);\n`,
};

interface Size {
  min: number;
  gz: number;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(6)} kB`;
console.log(
  'browser bundle (esbuild --bundle --minify --splitting --format=esm --platform=browser), minified / gzipped',
);
for (const [name, source] of Object.entries(apps)) {
  const file = path.join(work, `${name.replace(/\W+/g, '-')}.js`);
  writeFileSync(file, source);
  const result = await build({
    entryPoints: [file],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: path.join(work, 'out'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const initial: Size = { min: 0, gz: 0 };
  const onDemand: Size = { min: 0, gz: 0 };
  const entryOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)![0];
  const loadedAtStart = closure(result.metafile, entryOut);
  for (const output of result.outputFiles) {
    const relative = path.relative(process.cwd(), output.path);
    const size = loadedAtStart.has(relative) ? initial : onDemand;
    size.min += output.contents.length;
    size.gz += gzipSync(output.contents, { level: 9 }).length;
  }
  console.log(
    `${name.padEnd(26)} at start ${kB(initial.min)} / ${kB(initial.gz)}    on demand (XML) ${kB(onDemand.min)} / ${kB(onDemand.gz)}`,
  );
}
console.log('target: one operation < 15 kB minified + gzipped at start');

/** The outputs an entry loads before it runs: itself and its static imports, transitively. */
function closure(metafile: Metafile, output: string, seen = new Set<string>()): Set<string> {
  if (seen.has(output)) return seen;
  seen.add(output);
  for (const imported of metafile.outputs[output]!.imports)
    if (imported.kind === 'import-statement') closure(metafile, imported.path, seen);
  return seen;
}
