import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a whole directory aside and swaps it in with renames, so that readers see either the previous output or
 * the new one, never a mix; on any error the previous output is left as it was.
 */
export async function writeDirectoryAtomically(target: string, files: Map<string, string>): Promise<void> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = `${target}.staging-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [file, content] of files) {
      const full = path.join(staging, file);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
    }
    let hadPrevious = true;
    await rename(target, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      hadPrevious = false;
    });
    try {
      await rename(staging, target);
    } catch (error) {
      if (hadPrevious) await rename(previous, target);
      throw error;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Updates an existing output in place, file by file: only files whose content changed are written (each to a
 * temporary name, then renamed over the old one), files no longer generated are removed. Unchanged files keep their
 * bytes and modification times, so tools that watch them see only what really changed. Returns the files written.
 */
export async function writeChangedFiles(target: string, files: Map<string, string>, previous: string[]): Promise<string[]> {
  const { existsSync } = await import('node:fs');
  const { readFile } = await import('node:fs/promises');
  if (!existsSync(target)) {
    await writeDirectoryAtomically(target, files);
    return [...files.keys()];
  }
  const written: string[] = [];
  for (const [file, content] of files) {
    const full = path.join(target, file);
    const current = await readFile(full, 'utf8').catch(() => undefined);
    if (current === content) continue;
    await mkdir(path.dirname(full), { recursive: true });
    const temporary = `${full}.tmp-${process.pid}`;
    await writeFile(temporary, content);
    await rename(temporary, full);
    written.push(file);
  }
  for (const file of previous) if (!files.has(file)) await rm(path.join(target, file), { force: true });
  return written;
}
