import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, Node } from 'yaml';
import { GeneratorError } from './errors.js';

/** The validated configuration, with every path made absolute. */
// yaml is CommonJS: required, not imported, so that Node does not scan it for export names on every start (the
// no-change path of `generate` and `check` must stay fast).
const { isMap, isScalar, isSeq, LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof Yaml;

export interface Config {
  /** The file it was read from. */
  file: string;
  /** Where the area specs, `schemas/` and `xsd/` are read from. */
  specDir: string;
  /** Why `specDir` is what it is: the config, `ALMA_SPECS_DIR`, or a default. */
  specDirSource: 'config' | 'env' | 'default-shared' | 'default-cache';
  /** `openapiTypes`: ship `src/openapi.ts` (openapi-typescript's `paths` for openapi-fetch). Default true. */
  output: { dir: string; packageName: string; packageVersion: string; openapiTypes: boolean };
  /** Area name → canonical URL of its spec, in config order. */
  areas: { name: string; url: string }[];
  /** `"METHOD /path"` → export name. */
  nameOverrides: Record<string, string>;
  /** Settings of `alma-codegen mock` (see mock/server.ts). */
  mock: MockSettings;
}

export interface MockSettings {
  port?: number;
  seed?: number;
  size?: number;
  perSecondLimit?: number;
  dailyBudget?: number;
  keys?: { key: string; plan?: 'read-write' | 'read-only' | 'guest'; institution?: string }[];
  faults?: { kind: 'error-500' | 'gateway-503' | 'reset-before' | 'reset-after' | 'slow' | 'truncated' | 'xml-as-json'; probability: number; route?: string; delayMs?: number }[];
  /** Job runs: how many reads of an instance until it ends, and the final status per job id (default COMPLETED_SUCCESS). */
  jobs?: { polls?: number; outcomes?: Record<string, string> };
  /** Analytics reports: how many rows every report has, and how many "still loading" answers come first. */
  analytics?: { rows?: number; loadingPolls?: number };
}

export const DEFAULT_CONFIG_FILE = 'alma-codegen.yaml';
const SHARED_SPECS = '../shared/alma-openapi';
const CACHE_SPECS = 'specs/cache';

type Shape =
  | { kind: 'string'; pattern?: RegExp; patternHint?: string }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'list'; items: Shape }
  | { kind: 'object'; fields: Record<string, { shape: Shape; required?: boolean }> }
  | { kind: 'map'; values: Shape; keyPattern?: RegExp; keyHint?: string };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const SHAPE: Shape = {
  kind: 'object',
  fields: {
    specDir: { shape: { kind: 'string' } },
    output: {
      required: true,
      shape: {
        kind: 'object',
        fields: {
          dir: { shape: { kind: 'string' }, required: true },
          packageName: {
            shape: { kind: 'string', pattern: /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, patternHint: 'an npm package name such as "alma-client" or "@myorg/alma"' },
            required: true,
          },
          packageVersion: { shape: { kind: 'string', pattern: /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, patternHint: 'a semver version such as "1.0.0"' } },
          openapiTypes: { shape: { kind: 'boolean' } },
        },
      },
    },
    areas: {
      required: true,
      shape: {
        kind: 'map',
        keyPattern: /^[a-z][a-z0-9-]*$/,
        keyHint: 'a lower-case area name such as "users"',
        values: { kind: 'object', fields: { url: { shape: { kind: 'string', pattern: /^https?:\/\//, patternHint: 'an http(s) URL' }, required: true } } },
      },
    },
    mock: {
      shape: {
        kind: 'object',
        fields: {
          port: { shape: { kind: 'number', min: 0, max: 65535 } },
          seed: { shape: { kind: 'number' } },
          size: { shape: { kind: 'number', min: 0, max: 100_000 } },
          perSecondLimit: { shape: { kind: 'number', min: 1 } },
          dailyBudget: { shape: { kind: 'number', min: 0 } },
          jobs: { shape: { kind: 'object', fields: { polls: { shape: { kind: 'number', min: 1 } }, outcomes: { shape: { kind: 'map', values: { kind: 'string', pattern: /^[A-Z_]+$/, patternHint: 'a job status such as COMPLETED_SUCCESS or COMPLETED_FAILED' } } } } } },
          analytics: { shape: { kind: 'object', fields: { rows: { shape: { kind: 'number', min: 0 } }, loadingPolls: { shape: { kind: 'number', min: 0 } } } } },
          keys: {
            shape: {
              kind: 'list',
              items: {
                kind: 'object',
                fields: {
                  key: { shape: { kind: 'string' }, required: true },
                  plan: { shape: { kind: 'string', pattern: /^(read-write|read-only|guest)$/, patternHint: 'read-write, read-only or guest' } },
                  institution: { shape: { kind: 'string' } },
                },
              },
            },
          },
          faults: {
            shape: {
              kind: 'list',
              items: {
                kind: 'object',
                fields: {
                  kind: { shape: { kind: 'string', pattern: /^(error-500|gateway-503|reset-before|reset-after|slow|truncated|xml-as-json)$/, patternHint: 'one of error-500, gateway-503, reset-before, reset-after, slow, truncated, xml-as-json' }, required: true },
                  probability: { shape: { kind: 'number', min: 0, max: 1 }, required: true },
                  route: { shape: { kind: 'string' } },
                  delayMs: { shape: { kind: 'number', min: 0 } },
                },
              },
            },
          },
        },
      },
    },
    naming: {
      shape: {
        kind: 'object',
        fields: {
          overrides: {
            shape: {
              kind: 'map',
              keyPattern: /^(GET|POST|PUT|DELETE) \/\S*$/,
              keyHint: '"METHOD /path" as in the spec, e.g. "GET /almaws/v1/users/ME"',
              values: { kind: 'string', pattern: IDENTIFIER, patternHint: 'a TypeScript identifier such as "getMe"' },
            },
          },
        },
      },
    },
  },
};

/**
 * Reads, validates and resolves the configuration. Without a file named, `alma-codegen.yaml` is looked for in the
 * working folder and then in each folder above it, as git and eslint find theirs.
 */
export function loadConfig(configFile?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const file = configFile !== undefined ? path.resolve(configFile) : findConfigFile(process.cwd());
  if (!file) {
    throw new GeneratorError(process.cwd(), '', `no ${DEFAULT_CONFIG_FILE} here or in any folder above`, 'run `alma-codegen init` to write one, or pass --config <file>');
  }
  if (!existsSync(file)) {
    throw new GeneratorError(file, '', 'the configuration file does not exist', `run \`alma-codegen init\` to write one (see README), or pass --config <file>`);
  }
  return parseConfig(readFileSync(file, 'utf8'), file, env);
}

/** The nearest `alma-codegen.yaml` at or above `start`. */
export function findConfigFile(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, DEFAULT_CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Validates configuration text; pure but for the existence check of the default spec directory. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const where = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return '';
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const [line, col] = firstError.linePos?.[0] ? [firstError.linePos[0].line, firstError.linePos[0].col] : [0, 0];
    throw new GeneratorError(file, `line ${line}, column ${col}`, `invalid YAML: ${firstError.message.split('\n')[0]}`, 'correct the YAML syntax at that position');
  }
  validate(doc, doc.contents, SHAPE, [], file, where);
  const raw = doc.toJS() as {
    specDir?: string;
    output: { dir: string; packageName: string; packageVersion?: string; openapiTypes?: boolean };
    areas: Record<string, { url: string }>;
    naming?: { overrides?: Record<string, string> };
    mock?: MockSettings;
  };
  const base = path.dirname(file);
  const { specDir, specDirSource } = resolveSpecDir(raw.specDir, base, env);
  return {
    file,
    specDir,
    specDirSource,
    output: {
      dir: path.resolve(base, raw.output.dir),
      packageName: raw.output.packageName,
      packageVersion: raw.output.packageVersion ?? '0.1.0',
      openapiTypes: raw.output.openapiTypes ?? true,
    },
    areas: Object.entries(raw.areas).map(([name, area]) => ({ name, url: area.url })),
    nameOverrides: raw.naming?.overrides ?? {},
    mock: raw.mock ?? {},
  };
}

function resolveSpecDir(configured: string | undefined, base: string, env: NodeJS.ProcessEnv): Pick<Config, 'specDir' | 'specDirSource'> {
  if (env.ALMA_SPECS_DIR) return { specDir: path.resolve(env.ALMA_SPECS_DIR), specDirSource: 'env' };
  if (configured) return { specDir: path.resolve(base, configured), specDirSource: 'config' };
  const shared = path.resolve(base, SHARED_SPECS);
  if (existsSync(shared)) return { specDir: shared, specDirSource: 'default-shared' };
  return { specDir: path.resolve(base, CACHE_SPECS), specDirSource: 'default-cache' };
}

function validate(doc: Document, node: unknown, shape: Shape, at: string[], file: string, where: (n: Node | null | undefined) => string): void {
  const label = at.length ? at.join('.') : 'the document';
  const fail = (n: unknown, problem: string, fix: string): never => {
    throw new GeneratorError(file, [where(n as Node), at.join('.')].filter(Boolean).join(', '), `${label}: ${problem}`, fix);
  };
  if (shape.kind === 'number') {
    if (!isScalar(node) || typeof node.value !== 'number') fail(node, `expected a number, got ${describe(node)}`, `write ${label} as a number`);
    const value = (node as { value: number }).value;
    if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) fail(node, `${value} is out of range`, `use a value from ${shape.min ?? '-∞'} to ${shape.max ?? '∞'}`);
    return;
  }
  if (shape.kind === 'boolean') {
    if (!isScalar(node) || typeof node.value !== 'boolean') fail(node, `expected true or false, got ${describe(node)}`, `write ${label}: true or ${label}: false`);
    return;
  }
  if (shape.kind === 'list') {
    if (!isSeq(node)) {
      fail(node, `expected a list, got ${describe(node)}`, `write ${label} as a YAML list (- item lines)`);
      return;
    }
    node.items.forEach((item, i) => validate(doc, item, shape.items, [...at, String(i)], file, where));
    return;
  }
  if (shape.kind === 'string') {
    if (!isScalar(node) || typeof node.value !== 'string') fail(node, `expected a string, got ${describe(node)}`, `write ${label} as a quoted string`);
    const value = (node as { value: string }).value;
    if (shape.pattern && !shape.pattern.test(value)) fail(node, `"${value}" is not ${shape.patternHint}`, `set ${label} to ${shape.patternHint}`);
    return;
  }
  if (!isMap(node)) {
    fail(node, `expected a mapping, got ${describe(node)}`, `write ${label} as a YAML mapping (key: value lines)`);
    return;
  }
  const seen = new Set<string>();
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    seen.add(key);
    if (shape.kind === 'object') {
      const field = shape.fields[key];
      if (!field) {
        const known = Object.keys(shape.fields).join(', ');
        throw new GeneratorError(file, where(pair.key as Node), `${label}: unknown key "${key}"`, `remove it or use one of: ${known}`);
      }
      validate(doc, pair.value, field.shape, [...at, key], file, where);
    } else {
      if (shape.keyPattern && !shape.keyPattern.test(key)) {
        throw new GeneratorError(file, where(pair.key as Node), `${label}: key "${key}" is not ${shape.keyHint}`, `rename the key to ${shape.keyHint}`);
      }
      validate(doc, pair.value, shape.values, [...at, key], file, where);
    }
  }
  if (shape.kind === 'object') {
    for (const [key, field] of Object.entries(shape.fields)) {
      if (field.required && !seen.has(key)) fail(node, `missing required key "${key}"`, `add ${[...at, key].join('.')} (see README)`);
    }
  }
  if (shape.kind === 'map' && node.items.length === 0) fail(node, 'must not be empty', `add at least one entry to ${label}`);
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) return node.value === null ? 'null' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return 'a list';
}
