import { fitToWidth } from '../../generator/emit/line-width.js';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type Config } from '../../generator/config.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The real published specs: read from ../shared, never copied into the repository. */
export const SHARED_SPECS = process.env.ALMA_SPECS_DIR ?? path.resolve(REPO, '../shared/alma-openapi');
export const SHARED_PAYLOADS = path.resolve(REPO, '../shared/alma-payloads');

export function tempDir(prefix = 'alma-codegen-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/**
 * A temp dir inside the repository (`.tmp/`, ignored by git), for generated packages: their imports
 * (`fast-xml-parser`) resolve from the repository's node_modules, as they would from the consumer's.
 */
export function repoTempDir(prefix = 'out-'): string {
  const base = path.join(REPO, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, prefix));
}

/** A scratch copy of the real spec directory, for tests that edit specs. */
export function scratchSpecs(): string {
  const dir = tempDir('alma-specs-');
  cpSync(SHARED_SPECS, dir, { recursive: true });
  return dir;
}

/** Writes files (path → JSON value or text) under a new temp dir; returns it. */
export function writeTree(files: Record<string, unknown>, dir = tempDir()): string {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** A `tsconfig.json` that type-checks the folder's own `.ts` files under strict, for type claims made with tsc. */
export function writeStrictTsconfig(dir: string): void {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    skipLibCheck: true,
    types: [],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export const ALL_AREAS = [
  'acq',
  'analytics',
  'bibs',
  'conf',
  'courses',
  'electronic',
  'partners',
  'users',
  'tasklists',
];

/** The spec file of an area as Ex Libris publishes it: JSON, but YAML for tasklists. */
export function areaSpecFileName(area: string): string {
  return area === 'tasklists' ? `${area}.yaml` : `${area}.json`;
}

/** The `areas:` section of a configuration with these areas and their canonical URLs. */
export function areasYaml(areas: string[]): string {
  return `areas:\n${areas.map((a) => `  ${a}:\n    url: https://developers.exlibrisgroup.com/wp-content/uploads/alma/openapi/${areaSpecFileName(a)}`).join('\n')}\n`;
}

/** A config over `specDir` with the given areas, written to a temp file. */
export function configFor(specDir: string, areas = ALL_AREAS, extra = ''): Config {
  const dir = tempDir('alma-config-');
  const text = `specDir: ${JSON.stringify(specDir)}\noutput:\n  dir: out\n  packageName: alma-client\n${areasYaml(areas)}${extra}`;
  const file = path.join(dir, 'alma-codegen.yaml');
  writeFileSync(file, text);
  return parseConfig(text, file, {});
}

/** A minimal OpenAPI 3 area spec around the given paths. */
export function miniSpec(paths: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'test', version: '1' },
    servers: [{ url: 'https://api-eu.hosted.exlibrisgroup.com' }],
    paths,
    ...extra,
  };
}

/** One GET operation returning `schema`. */
export function getReturning(schema: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    get: {
      summary: 'Read it',
      parameters: [],
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema } } },
        '400': { description: 'Bad Request' },
      },
      ...extra,
    },
  };
}

/**
 * The lines of generated code over 120 characters that a break could shorten: a doc line but one with a word as long
 * as half the line (a link), a code line the generator's breaking (`fitToWidth`, table-tested) would still break.
 */
export function overWidth(text: string): string[] {
  return text.split('\n').filter((line) => {
    const code = line.trimStart();
    const comment = code.startsWith('*') || code.startsWith('/*') || code.startsWith('//');
    return line.length > 120 && (comment ? !/\S{60,}/.test(code) : fitToWidth(line) !== line);
  });
}
