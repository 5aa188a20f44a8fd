import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE, parseConfig } from './config.js';
import { UsageError } from './errors.js';
import { CACHE_SPECS } from './specs/layout.js';

/** Every area Ex Libris publishes a spec for, with the format it publishes it in. */
export const AREAS: Record<string, 'json' | 'yaml'> = {
  acq: 'json',
  analytics: 'json',
  bibs: 'json',
  conf: 'json',
  courses: 'json',
  electronic: 'json',
  partners: 'json',
  tasklists: 'yaml',
  users: 'json',
};

const SPEC_BASE = 'https://developers.exlibrisgroup.com/wp-content/uploads/alma/openapi/';

export interface InitOptions {
  /** Folder to write `alma-codegen.yaml` into. Default: the working folder. */
  dir?: string;
  /** Areas to generate. Default: all nine. */
  areas?: string[];
  /** Where the specs are read from (`specDir`). Default: `specs/cache`, which `alma-codegen sync` fills. */
  specDir?: string;
  /** Where the package is written (`output.dir`). Default: `generated`. */
  outputDir?: string;
  packageName?: string;
  /** Replace an existing file. */
  force?: boolean;
}

/** Writes a commented minimal configuration; refuses to replace one unless `force`. Returns its path. */
export async function init(options: InitOptions = {}): Promise<{ file: string }> {
  const file = path.resolve(options.dir ?? '.', DEFAULT_CONFIG_FILE);
  if (existsSync(file) && !options.force)
    throw new UsageError(`${file} already exists`, 'edit it, or pass --force to replace it');
  const areas = options.areas ?? Object.keys(AREAS);
  const unknown = areas.filter((a) => !(a in AREAS));
  if (unknown.length)
    throw new UsageError(
      `unknown area${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      `choose among ${Object.keys(AREAS).join(', ')}`,
    );
  const text = configText({ ...options, areas });
  // What init writes must load: the same validation as any configuration.
  parseConfig(text, file, {});
  await writeFile(file, text);
  return { file };
}

function configText(options: InitOptions & { areas: string[] }): string {
  return `# alma-codegen configuration (README: "Configuration"). Paths are relative to this file.

# Where the Alma specs are read from: <area>.json (tasklists.yaml), schemas/ and xsd/.
# \`alma-codegen sync\` downloads them from Ex Libris into specs/cache (and records them in specs/alma.lock.json).
specDir: ${options.specDir ?? CACHE_SPECS}

# The package: written to <dir>/<name without scope>, with that npm name and version.
output:
  dir: ${options.outputDir ?? 'generated'}
  packageName: ${options.packageName ?? 'alma-client'}
  packageVersion: 0.1.0

# The areas to generate, each with the URL of its spec (used by \`alma-codegen sync\`). Remove the ones you do not need:
# ${Object.keys(AREAS).join(', ')}.
areas:
${options.areas.map((a) => `  ${a}:\n    url: ${SPEC_BASE}${a}.${AREAS[a]}`).join('\n')}

# Export names for operations that read better named by hand ("METHOD /path": name):
# naming:
#   overrides:
#     "GET /almaws/v1/analytics/reports": getAnalyticsReport

# \`alma-codegen mock\`: an Alma-like server for your tests (README: "The mock server").
# mock:
#   port: 8079
#   keys:
#     - key: mock-key
#       plan: read-write
`;
}
