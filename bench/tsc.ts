/**
 * What the generated client costs a consumer's type-check: `tsc --noEmit` over a small app that imports every
 * export of the package (root and every area subpath), with `skipLibCheck: false` so that the whole client's
 * declarations are checked too. Beside it: the same app with no client (tsc's own start), and the client's
 * TypeScript sources checked directly (what a monorepo that compiles the sources pays). Median of several runs,
 * each a fresh process.
 *
 *   npm run bench:tsc [-- --runs 3]     (builds the package first: alma-codegen build)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtPackage } from './built-package.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const packageDir = builtPackage();
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(manifest.exports).filter((s) => s !== './package.json');

const compilerOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM'],
  types: [],
  strict: true,
  skipLibCheck: false,
  noEmit: true,
};

function project(name: string, source: string, link: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), `alma-tsc-${name}-`));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['app.ts'] }, null, 2));
  writeFileSync(path.join(dir, 'app.ts'), source);
  if (link) {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(packageDir, path.join(dir, 'node_modules', manifest.name), 'dir');
  }
  return dir;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function timeTsc(dir: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    times.push(performance.now() - started);
  }
  return median(times);
}

const imports = subpaths.map((s, i) => `import * as m${i} from '${path.posix.join(manifest.name, s)}';`).join('\n');
const app =
  `${imports}\nexport const all = [${subpaths.map((_, i) => `m${i}`).join(', ')}];\n` +
  `const alma = m0.createClient({ apiKey: 'k', region: 'eu' });\nexport const user = m0.getUser(alma, { userId: 'jdoe' }).then((u) => u.primary_id);\n`;
const withClient = timeTsc(project('client', app, true));
const empty = timeTsc(project('empty', 'export const nothing = 1;\n', false));
const sourcesDir = mkdtempSync(path.join(tmpdir(), 'alma-tsc-sources-'));
writeFileSync(
  path.join(sourcesDir, 'tsconfig.json'),
  JSON.stringify({
    extends: path.join(packageDir, 'tsconfig.json'),
    compilerOptions: { noEmit: true, skipLibCheck: false },
    include: [path.join(packageDir, 'src')],
  }),
);
const sources = timeTsc(sourcesDir);

const s = (ms: number) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
console.log(`tsc --noEmit, skipLibCheck false, median of ${runs} runs (each a fresh process)`);
console.log(`consumer app importing the whole client (${subpaths.length} entry points) ${s(withClient)}`);
console.log(`the same app without the client (tsc's own start)              ${s(empty)}`);
console.log(`the client's TypeScript sources, checked directly                ${s(sources)}`);
console.log(`the client's own cost to a consumer: ${s(withClient - empty)}   target: the whole consumer check < 10 s`);
