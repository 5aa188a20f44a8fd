/**
 * Regeneration as a user runs it (fresh `alma-codegen generate` processes, compiled CLI, the repository's
 * configuration: paths types on): a full generation into an empty output, a regeneration when nothing changed
 * (target < 0.3 s), and one when one area's spec changed (target ≤ 0.5 × the full generation). Five rounds of a full
 * generation followed by a one-area one (each pair sees the machine in the same state); medians.
 *
 *   npm run bench:regen
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../generator/config.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'alma-regen-'));
const specs = path.join(work, 'specs');
cpSync(loadConfig(path.join(repo, 'alma-codegen.yaml')).specDir, specs, { recursive: true });
const config = path.join(work, 'alma-codegen.yaml');
writeFileSync(
  config,
  readFileSync(path.join(repo, 'alma-codegen.yaml'), 'utf8').replace(
    /^output:\n {2}dir: output$/m,
    `specDir: ${JSON.stringify(specs)}\noutput:\n  dir: ${JSON.stringify(path.join(work, 'out'))}`,
  ),
);
const cli = path.join(repo, 'bin/alma-codegen.js');

function timed(args: string[] = []): number {
  const started = performance.now();
  execFileSync(process.execPath, [cli, '--config', config, 'generate', '--quiet', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return performance.now() - started;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const users = path.join(specs, 'users.json');
const original = readFileSync(users, 'utf8');
const editUsers = (edit: string) =>
  writeFileSync(users, original.replace('Get user details', `Get user details (${edit})`));
// Rounds of a full generation and then a one-area one, so that both see the machine in the same state; medians.
const rounds = [0, 1, 2, 3, 4].map((i) => {
  editUsers(`full ${i}`);
  rmSync(path.join(work, 'out'), { recursive: true, force: true });
  const full = timed();
  editUsers(`edit ${i}`);
  const oneArea = timed();
  return { full, oneArea, ratio: oneArea / full };
});
const full = median(rounds.map((r) => r.full));
const oneArea = median(rounds.map((r) => r.oneArea));
const ratio = median(rounds.map((r) => r.ratio));
const unchanged = median([0, 1, 2, 3, 4].map(() => timed()));
// Node's own start on this machine, for scale: most of a no-change run is this.
const nodeStart = median(
  [0, 1, 2, 3, 4].map(() => {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    return performance.now() - started;
  }),
);
console.log(`full generation (empty output):       ${full.toFixed(0).padStart(5)} ms`);
console.log(
  `nothing changed:                       ${unchanged.toFixed(0).padStart(5)} ms  (target < 300 ms: ${unchanged < 300 ? 'met' : 'NOT met'}; \`node -e ''\` alone: ${nodeStart.toFixed(0)} ms, so ${(unchanged - nodeStart).toFixed(0)} ms of our own)`,
);
console.log(
  `one area changed (users.json edited):  ${oneArea.toFixed(0).padStart(5)} ms  (ratio to the full generation of its round: median ${ratio.toFixed(2)}, rounds ${rounds.map((r) => r.ratio.toFixed(2)).join(' ')}; target ≤ 0.5: ${ratio <= 0.5 ? 'met' : 'NOT met'}; users' model, module and part of the paths types made again, the rest reused)`,
);
rmSync(work, { recursive: true, force: true });
