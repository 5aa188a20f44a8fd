import path from 'node:path';
import type { Config } from '../../generator/config.js';
import { generateInMemory } from '../../generator/pipeline/generate.js';
import { writeDirectoryAtomically } from '../../generator/pipeline/write.js';
import { repoTempDir } from './specs.js';

/**
 * The package generated from `config`, written under .tmp/ and its modules imported as the tests use them:
 * `runtime/index` as `runtime`, the others by their name (`bibs`, `probe`).
 */
export async function loadGenerated<T>(config: Config, modules: readonly string[]): Promise<T> {
  const dir = await generateInto(config);
  const loaded = await Promise.all(
    modules.map(async (m) => [m === 'runtime/index' ? 'runtime' : m, await import(path.join(dir, 'src', `${m}.ts`))]),
  );
  return Object.fromEntries(loaded) as T;
}

/** The package generated from `config`, written once per test process under .tmp/; returns its folder. */
export function writeGenerated(config: Config): Promise<string> {
  written ??= generateInto(config);
  return written;
}
let written: Promise<string> | undefined;

/** Generates from `config` into a new folder under .tmp/; returns the package's folder. */
async function generateInto(config: Config): Promise<string> {
  const dir = path.join(repoTempDir('e2e-'), 'alma-client');
  await writeDirectoryAtomically(dir, (await generateInMemory(config)).emitted.files);
  return dir;
}
