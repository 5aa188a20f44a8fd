#!/usr/bin/env node
// The CLI runs from the compiled sources. An installed tool ships them (`dist/`); a fresh clone of the repository
// compiles them on its first run (`npm run build` does the same), so that the packed tool needs no `prepare` script.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/generator/cli.js', import.meta.url);
if (!existsSync(cli)) {
  const { execFileSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  if (!existsSync(tsc)) {
    console.error(
      'alma-codegen: dist/ is missing and TypeScript is not installed here\n  fix: run `npm ci`, then `npm run build`',
    );
    process.exit(1);
  }
  console.error('alma-codegen: compiling the tool (first run of this checkout)…');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
await import(cli.href);
