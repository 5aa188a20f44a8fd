import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../generator/config.js';
import { packageDirOf, TOOL_ROOT } from '../generator/base/tool.js';

/** Builds the repository's generated package (`alma-codegen build`, generating first if stale); returns its folder. */
export function builtPackage(): string {
  execFileSync(process.execPath, [path.join(TOOL_ROOT, 'bin/alma-codegen.js'), 'build'], {
    cwd: TOOL_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return packageDirOf(loadConfig(path.join(TOOL_ROOT, 'alma-codegen.yaml')));
}
