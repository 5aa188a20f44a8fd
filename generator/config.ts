import { CACHE_SPECS } from './specs/layout.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { GeneratorError } from './errors.js';
import { parseYaml } from './load/yaml.js';

/** The validated configuration, with every path made absolute. */
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

/** The faults `alma-codegen mock` can inject (see `FaultRule`). */
export const FAULT_KINDS = [
  'error-500',
  'gateway-503',
  'reset-before',
  'reset-after',
  'slow',
  'truncated',
  'xml-as-json',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What an API key of the mock may do. */
export type Plan = 'read-write' | 'read-only' | 'guest';

export interface FaultRule {
  kind: FaultKind;
  /** Chance per request, 0 to 1. */
  probability: number;
  /** Only requests to this operation: its export name (`getUser`) or `"METHOD /path"` as in the spec. All when absent. */
  route?: string;
  /** For `slow`: how long to wait before answering. Default 2 000 ms. */
  delayMs?: number;
}

/** Settings of `alma-codegen mock`: the `mock:` section of the configuration, and the mock's options. */
export interface MockSettings {
  /** 0 picks a free port. */
  port?: number;
  /** API keys the mock accepts. Default: one read-write key, `mock-key`. */
  keys?: { key: string; plan?: Plan; institution?: string }[];
  /** Seed of the data and of the faults. Default 1. */
  seed?: number;
  /** How many users (and bibs, with holdings and items) to seed. Default 20. */
  size?: number;
  /** Calls per second per institution. Default 25. */
  perSecondLimit?: number;
  /** Calls per day per institution. Default 100 000. */
  dailyBudget?: number;
  faults?: FaultRule[];
  /** Job runs: how many reads of an instance until it ends (default 3), and the final status per job id (default COMPLETED_SUCCESS). */
  jobs?: { polls?: number; outcomes?: Record<string, string> };
  /** Analytics reports: rows per report (default 60) and "still loading" answers before the first rows (default 1). */
  analytics?: { rows?: number; loadingPolls?: number };
}

export const DEFAULT_CONFIG_FILE = 'alma-codegen.yaml';
const SHARED_SPECS = '../shared/alma-openapi';

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
            shape: {
              kind: 'string',
              pattern: /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/,
              patternHint: 'an npm package name such as "alma-client" or "@myorg/alma"',
            },
            required: true,
          },
          packageVersion: {
            shape: {
              kind: 'string',
              pattern: /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
              patternHint: 'a semver version such as "1.0.0"',
            },
          },
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
        values: {
          kind: 'object',
          fields: {
            url: { shape: { kind: 'string', pattern: /^https?:\/\//, patternHint: 'an http(s) URL' }, required: true },
          },
        },
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
          jobs: {
            shape: {
              kind: 'object',
              fields: {
                polls: { shape: { kind: 'number', min: 1 } },
                outcomes: {
                  shape: {
                    kind: 'map',
                    values: {
                      kind: 'string',
                      pattern: /^[A-Z_]+$/,
                      patternHint: 'a job status such as COMPLETED_SUCCESS or COMPLETED_FAILED',
                    },
                  },
                },
              },
            },
          },
          analytics: {
            shape: {
              kind: 'object',
              fields: {
                rows: { shape: { kind: 'number', min: 0 } },
                loadingPolls: { shape: { kind: 'number', min: 0 } },
              },
            },
          },
          keys: {
            shape: {
              kind: 'list',
              items: {
                kind: 'object',
                fields: {
                  key: { shape: { kind: 'string' }, required: true },
                  plan: {
                    shape: {
                      kind: 'string',
                      pattern: /^(read-write|read-only|guest)$/,
                      patternHint: 'read-write, read-only or guest',
                    },
                  },
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
                  kind: {
                    shape: {
                      kind: 'string',
                      pattern: new RegExp(`^(${FAULT_KINDS.join('|')})$`),
                      patternHint: `one of ${FAULT_KINDS.join(', ')}`,
                    },
                    required: true,
                  },
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
    throw new GeneratorError(
      process.cwd(),
      '',
      `no ${DEFAULT_CONFIG_FILE} here or in any folder above`,
      'run `alma-codegen init` to write one, or pass --config <file>',
    );
  }
  if (!existsSync(file)) {
    throw new GeneratorError(
      file,
      '',
      'the configuration file does not exist',
      `run \`alma-codegen init\` to write one (see README), or pass --config <file>`,
    );
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

/**
 * Validates configuration text; pure but for the existence check of the default spec directory. Read with js-yaml
 * (fast: every command starts here, `generate` on unchanged specs included); a mistake is then located with the
 * `yaml` package's syntax tree, loaded only for that.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  const document = parseYaml(text, file, { problem: 'invalid YAML', fix: 'correct the YAML syntax at that position' });
  validate(document, SHAPE, [], file, (at, key) => locate(text, at, key));
  const raw = document as {
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

function resolveSpecDir(
  configured: string | undefined,
  base: string,
  env: NodeJS.ProcessEnv,
): Pick<Config, 'specDir' | 'specDirSource'> {
  if (env.ALMA_SPECS_DIR) return { specDir: path.resolve(env.ALMA_SPECS_DIR), specDirSource: 'env' };
  if (configured) return { specDir: path.resolve(base, configured), specDirSource: 'config' };
  const shared = path.resolve(base, SHARED_SPECS);
  if (existsSync(shared)) return { specDir: shared, specDirSource: 'default-shared' };
  return { specDir: path.resolve(base, CACHE_SPECS), specDirSource: 'default-cache' };
}

type Locate = (at: string[], key?: boolean) => string;

function validate(node: unknown, shape: Shape, at: string[], file: string, where: Locate): void {
  const label = at.length ? at.join('.') : 'the document';
  function fail(problem: string, fix: string): never {
    throw new GeneratorError(file, [where(at), at.join('.')].filter(Boolean).join(', '), `${label}: ${problem}`, fix);
  }
  if (shape.kind === 'number') {
    if (typeof node !== 'number') fail(`expected a number, got ${describe(node)}`, `write ${label} as a number`);
    const value = node as number;
    if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max))
      fail(`${value} is out of range`, `use a value from ${shape.min ?? '-∞'} to ${shape.max ?? '∞'}`);
    return;
  }
  if (shape.kind === 'boolean') {
    if (typeof node !== 'boolean')
      fail(`expected true or false, got ${describe(node)}`, `write ${label}: true or ${label}: false`);
    return;
  }
  if (shape.kind === 'list') {
    if (!Array.isArray(node))
      fail(`expected a list, got ${describe(node)}`, `write ${label} as a YAML list (- item lines)`);
    for (const [i, item] of node.entries()) validate(item, shape.items, [...at, String(i)], file, where);
    return;
  }
  if (shape.kind === 'string') {
    if (typeof node !== 'string') fail(`expected a string, got ${describe(node)}`, `write ${label} as a quoted string`);
    const value = node as string;
    if (shape.pattern && !shape.pattern.test(value))
      fail(`"${value}" is not ${shape.patternHint}`, `set ${label} to ${shape.patternHint}`);
    return;
  }
  if (!isMapping(node))
    fail(`expected a mapping, got ${describe(node)}`, `write ${label} as a YAML mapping (key: value lines)`);
  for (const [key, value] of Object.entries(node)) {
    if (shape.kind === 'object') {
      const field = shape.fields[key];
      if (!field) {
        const known = Object.keys(shape.fields).join(', ');
        throw new GeneratorError(
          file,
          where([...at, key], true),
          `${label}: unknown key "${key}"`,
          `remove it or use one of: ${known}`,
        );
      }
      validate(value, field.shape, [...at, key], file, where);
    } else {
      if (shape.keyPattern && !shape.keyPattern.test(key)) {
        throw new GeneratorError(
          file,
          where([...at, key], true),
          `${label}: key "${key}" is not ${shape.keyHint}`,
          `rename the key to ${shape.keyHint}`,
        );
      }
      validate(value, shape.values, [...at, key], file, where);
    }
  }
  if (shape.kind === 'object') {
    for (const [key, field] of Object.entries(shape.fields)) {
      if (field.required && !(key in node))
        fail(`missing required key "${key}"`, `add ${[...at, key].join('.')} (see README)`);
    }
  }
  if (shape.kind === 'map' && Object.keys(node).length === 0)
    fail('must not be empty', `add at least one entry to ${label}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** "line L, column C" of the value at `at` (or of its key), from the `yaml` package's syntax tree of the text. */
function locate(text: string, at: string[], key = false): string {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = createRequire(import.meta.url)('yaml') as typeof Yaml;
  const lineCounter = new LineCounter();
  let node: unknown = parseDocument(text, { lineCounter }).contents;
  let keyNode: unknown;
  for (const step of at) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
      [keyNode, node] = [pair?.key, pair?.value];
    } else {
      [keyNode, node] = [undefined, isSeq(node) ? node.items[Number(step)] : undefined];
    }
  }
  const offset = ((key ? keyNode : node) as { range?: [number, number, number] } | undefined)?.range?.[0];
  if (offset === undefined) return '';
  const { line, col } = lineCounter.linePos(offset);
  return `line ${line}, column ${col}`;
}
