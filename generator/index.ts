/**
 * alma-codegen's programmatic API: `import { generate, check } from 'alma-codegen'`. The same operations as the CLI,
 * with the same results as its `--json`, and `AlmaCodegenError`s for anything a user can mend.
 */
export { build, check, diff, generate, pack, probe, specFolders, sync } from './api.js';
export type {
  BuildOptions,
  BuildResult,
  CheckResult,
  ConfigOption,
  DiffOptions,
  DiffResult,
  GenerateOptions,
  GenerateResult,
  PackOptions,
  SyncApiOptions,
  SyncApiResult,
} from './api.js';
export type { Change } from './specs/diff.js';
export { DEFAULT_CONFIG_FILE, findConfigFile, loadConfig, type Config } from './config.js';
export { AlmaCodegenError, EnvironmentError, GeneratorError, UsageError } from './errors.js';
export { AREAS, init, type InitOptions } from './init.js';
export type { GenerationReport } from './emit/report.js';
export { SyncError } from './specs/sync.js';
