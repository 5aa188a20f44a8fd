import { CACHE_SPECS } from './specs/layout.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Shape, validate } from './config-shape.js';
import { GeneratorError } from './errors.js';
import { MOCK_SHAPE, type MockSettings } from '../mock/settings.js';
import { locateYaml, parseYaml } from './load/yaml.js';

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
  /** Settings of `alma-codegen mock` (see mock/settings.ts). */
  mock: MockSettings;
}

export const DEFAULT_CONFIG_FILE = 'alma-codegen.yaml';
const SHARED_SPECS = '../shared/alma-openapi';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export type { FaultKind, FaultRule, MockSettings, Plan } from '../mock/settings.js';
export { FAULT_KINDS } from '../mock/settings.js';

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
    mock: { shape: MOCK_SHAPE },
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
 * Validates configuration text; pure but for the existence check of the default spec directory. A mistake is
 * located in the text by the YAML syntax tree (`locateYaml`).
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = {}): Config {
  const document = parseYaml(text, file, { problem: 'invalid YAML', fix: 'correct the YAML syntax at that position' });
  validate(document, SHAPE, [], file, (at, key) => locateYaml(text, at, key));
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
