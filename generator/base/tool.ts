import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';

/** The alma-codegen installation: where `runtime/` and `templates/` are. */
export const TOOL_ROOT = findToolRoot(path.dirname(fileURLToPath(import.meta.url)));

function findToolRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'templates')) && existsSync(path.join(dir, 'runtime'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`alma-codegen is incomplete: no templates/ and runtime/ above ${from}`);
  }
}

export function generatorVersion(): string {
  return (JSON.parse(readFileSync(path.join(TOOL_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The runtime's TypeScript sources, by path relative to `runtime/`, sorted. */
export function readRuntimeFiles(dir = path.join(TOOL_ROOT, 'runtime')): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
        files[rel] = readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return files;
}

export function readTemplates(dir = path.join(TOOL_ROOT, 'templates')): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .sort()
      .map((f) => [f.replace(/\.hbs$/, ''), readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** The output folder of the package: `<output.dir>/<package name without scope>`. */
export function packageDirOf(config: Config): string {
  return path.join(config.output.dir, config.output.packageName.replace(/^@[^/]+\//, ''));
}

/** Operations Alma serves that the published specs omit: the tool's own list (`specs/supplementary.yaml`). */
export const SUPPLEMENTARY_FILE = path.join(TOOL_ROOT, 'specs', 'supplementary.yaml');
