import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO } from '../helpers/specs.js';

// The layout's rules, read from the imports themselves: `runtime/internal/` is private to `runtime/` (its README
// says so), and no module depends on itself through others. Type-only imports are left out of the cycles: they vanish
// from the compiled code. Tests may reach internals directly: they test them.

const FOLDERS = ['generator', 'mock', 'runtime', 'bench', 'examples/consumer/src'];

function sources(): string[] {
  return FOLDERS.flatMap((folder) =>
    (readdirSync(path.join(REPO, folder), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((e) => e.isFile() && /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts'))
      .map((e) => path.relative(REPO, path.join(e.parentPath, e.name))),
  );
}

/** A module's relative imports, resolved to repository paths: `{ file, typeOnly }`. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  const found: { target: string; typeOnly: boolean }[] = [];
  const patterns = [/^\s*(import|export)\s+(type\s+)?[^'"]*?\sfrom\s+'(\.[^']+)'/gm, /import\('(\.[^']+)'\)/g];
  for (const match of text.matchAll(patterns[0]!)) found.push({ target: match[3]!, typeOnly: Boolean(match[2]) });
  for (const match of text.matchAll(patterns[1]!)) found.push({ target: match[1]!, typeOnly: false });
  return found.map(({ target, typeOnly }) => ({
    target: path.relative(REPO, path.resolve(path.dirname(path.join(REPO, file)), target)).replace(/\.js$/, '.ts'),
    typeOnly,
  }));
}

/** The generator's layers, lowest first: a module may import from its own layer and the ones below. */
const LAYERS = ['base', 'load', 'ir', 'emit', 'specs', 'pipeline', 'cli'] as const;

function layerOf(file: string): number {
  const folder = /^generator\/([^/]+)\//.exec(file)?.[1];
  if (file === 'generator/errors.ts') return 0;
  const index = LAYERS.indexOf(folder as (typeof LAYERS)[number]);
  // The files at the top (cli, api, config, init, convert/) use everything.
  return index >= 0 ? index : LAYERS.length - 1;
}

const files = sources();
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layout, from the imports', () => {
  test('nothing outside runtime/ imports runtime/internal/', () => {
    const leaks = files
      .filter((f) => !f.startsWith('runtime/'))
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((i) => i.target.startsWith('runtime/internal/'))
          .map((i) => `${file} → ${i.target}`),
      );
    expect(leaks).toEqual([]);
  });

  test('no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const { target, typeOnly } of graph.get(file) ?? [])
        if (!typeOnly && graph.has(target)) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  test("the generator's layers import one way (architecture.md): base → load → ir → emit → specs → pipeline → CLI", () => {
    const backwards = files
      .filter((f) => f.startsWith('generator/'))
      .flatMap((file) =>
        graph
          .get(file)!
          // The configuration's type is every layer's input; a type vanishes from the compiled code.
          .filter((i) => !(i.typeOnly && i.target === 'generator/config.ts'))
          .filter((i) => i.target.startsWith('generator/') && layerOf(i.target) > layerOf(file))
          .map((i) => `${file} (${LAYERS[layerOf(file)]}) → ${i.target} (${LAYERS[layerOf(i.target)]})`),
      );
    expect(backwards).toEqual([]);
  });

  test('the runtime stands alone; the mock reads the IR, never emission or the pipeline', () => {
    const outside = (from: string, allowed: (target: string) => boolean) =>
      files
        .filter((f) => f.startsWith(from))
        .flatMap((file) =>
          graph
            .get(file)!
            .filter((i) => !allowed(i.target))
            .map((i) => `${file} → ${i.target}`),
        );
    expect(outside('runtime/', (t) => t.startsWith('runtime/'))).toEqual([]);
    expect(
      outside('mock/', (t) => !/^generator\/(emit|pipeline|specs)\//.test(t) && !t.startsWith('generator/cli')),
    ).toEqual([]);
  });

  test('the walk finds the imports it checks', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(layerOf('generator/emit/openapi/spec.ts')).toBe(3);
    expect(layerOf('generator/ir/read/xsd.ts')).toBe(2);
    expect(layerOf('generator/cli.ts')).toBe(6);
    expect(graph.get('mock/server.ts')!.map((i) => i.target)).toContain('mock/routes.ts');
    expect(
      graph.get('generator/pipeline/generate.ts')!.some((i) => i.target === 'generator/emit/package.ts' && !i.typeOnly),
    ).toBe(true);
  });
});
