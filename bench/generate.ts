/**
 * Wall time of a full `alma-codegen generate` (all areas: IR, types, functions, runtime, package files) against
 * openapi-typescript 7 producing types alone from the same specs, bundled with `alma-codegen bundle` so that it
 * resolves every ref locally, and alma-codegen again without the `paths` types it makes with openapi-typescript
 * (`output.openapiTypes: false`). Each tool runs as a fresh process, as a user runs it; median of several runs.
 *
 *   npm run bench:generate [-- --runs 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../generator/config.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const work = mkdtempSync(path.join(tmpdir(), 'alma-bench-'));
const config = path.join(work, 'alma-codegen.yaml');
const repoConfig = path.join(repo, 'alma-codegen.yaml');
const { specDir } = loadConfig(repoConfig);
const configText = readFileSync(repoConfig, 'utf8').replace(
  /^output:\n {2}dir: output$/m,
  `specDir: ${JSON.stringify(specDir)}\noutput:\n  dir: ${JSON.stringify(path.join(work, 'out'))}`,
);
writeFileSync(config, configText);
const configWithoutPaths = path.join(work, 'without-paths.yaml');
writeFileSync(configWithoutPaths, configText.replace(/^output:\n/m, 'output:\n  openapiTypes: false\n'));

function timeMs(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(path.join(e.parentPath, e.name)).size, 0);
}

const cli = path.join(repo, 'bin/alma-codegen.js');
const bundled = path.join(work, 'bundled');
execFileSync(process.execPath, [cli, '--config', config, 'bundle', '--out', bundled], {
  cwd: repo,
  stdio: ['ignore', 'ignore', 'inherit'],
});

/** Wall time of a full generation, and where it went (the CLI's --json timings). */
function generateTimed(configFile: string): { ms: number; timings: Record<string, number> } {
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [cli, '--config', configFile, 'generate', '--json', '--force'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    ms: performance.now() - started,
    timings: (JSON.parse(stdout) as { timings: Record<string, number> }).timings,
  };
}

const ours: number[] = [];
const oursWithoutPaths: number[] = [];
const stages: Record<string, number>[] = [];
const nodeStart: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < runs; i++) {
  // A full generation each time: an empty output, so that nothing is skipped as unchanged.
  rmSync(path.join(work, 'out'), { recursive: true, force: true });
  oursWithoutPaths.push(
    timeMs(process.execPath, [cli, '--config', configWithoutPaths, 'generate', '--quiet', '--force']),
  );
  rmSync(path.join(work, 'out'), { recursive: true, force: true });
  const timed = generateTimed(config);
  ours.push(timed.ms);
  stages.push(timed.timings);
  nodeStart.push(timeMs(process.execPath, ['-e', '']));
  rmSync(path.join(work, 'ots'), { recursive: true, force: true });
  theirs.push(
    timeMs(process.execPath, [path.join(repo, 'bench/run-openapi-typescript.mjs'), bundled, path.join(work, 'ots')]),
  );
}

const a = median(ours);
const a0 = median(oursWithoutPaths);
const b = median(theirs);
console.log(`runs: ${runs} each, median wall time, fresh process per run`);
console.log(
  `alma-codegen generate (types + functions + runtime + package + paths): ${a.toFixed(0)} ms, ${(sizeOf(path.join(work, 'out')) / 1024).toFixed(0)} KiB written`,
);
console.log(
  `alma-codegen generate without the paths types (openapiTypes: false): ${a0.toFixed(0)} ms (the paths cost ${(a - a0).toFixed(0)} ms)`,
);
console.log(
  `openapi-typescript 7 (types only, bundled specs):                     ${b.toFixed(0)} ms, ${(sizeOf(path.join(work, 'ots')) / 1024).toFixed(0)} KiB written`,
);
console.log(
  `ratio alma-codegen / openapi-typescript: ${(a0 / b).toFixed(2)} without the paths types (target ≤ 0.7: ${a0 / b <= 0.7 ? 'met' : 'NOT met'}); ${(a / b).toFixed(2)} with them (they are openapi-typescript's own work, on a second thread)`,
);
const stageNames = ['load', 'model', 'emit', 'openapi', 'write'];
const labels: Record<string, string> = {
  load: 'loading the generator',
  model: 'specs + IR (second thread) beside loading ts-morph',
  emit: 'emit',
  openapi: 'waiting for the openapi-typescript transform (second thread)',
  write: 'write',
};
// Per run, what the stages do not cover (the CLI, configuration, staleness hashing), then its median.
const rest = median(
  ours.map((ms, i) => ms - (nodeStart[i] ?? 0) - stageNames.reduce((n, s) => n + (stages[i]?.[s] ?? 0), 0)),
);
console.log(
  `where alma-codegen's time goes (medians): process start ${median(nodeStart).toFixed(0)} ms, ${stageNames.map((s) => `${labels[s]} ${median(stages.map((t) => t[s] ?? 0)).toFixed(0)} ms`).join(', ')}, the rest (the CLI, config, staleness) ${rest.toFixed(0)} ms`,
);
rmSync(work, { recursive: true, force: true });
