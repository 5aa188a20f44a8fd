import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Some tests run the compiled code in child processes (dist/): build it first, so that they never test stale code.
 * Afterwards, the packages this run's tests generated under .tmp/ are removed.
 */
export default function setup(): () => void {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(
    process.execPath,
    [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  // Only what this run made goes: another run beside it (`npm run test:unit` while `npm test` runs) keeps its own.
  const scratch = path.join(repo, '.tmp');
  const before = new Set(existsSync(scratch) ? readdirSync(scratch) : []);
  return () => {
    if (!existsSync(scratch)) return;
    for (const entry of readdirSync(scratch, { withFileTypes: true })) {
      if (
        entry.isDirectory() &&
        !before.has(entry.name) &&
        /^(out|e2e|generated|incremental|payload-types|openapi)-/.test(entry.name)
      )
        rmSync(path.join(scratch, entry.name), { recursive: true, force: true });
    }
  };
}
