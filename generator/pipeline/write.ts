import { existsSync, renameSync, rmSync } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
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
 * Updates an existing output, atomically too: a new tree is laid aside and swapped in whole, so a failure at any
 * point leaves the previous output as it was. In the new tree, files whose content did not change are hard links
 * to the old ones (same bytes, same modification time: tools that watch them see only what really changed), files
 * the generator no longer writes are left out, and everything else in the folder (`dist/`, `node_modules/`, the
 * user's own files) is carried over as it is. Returns the files written.
 */
export async function writeChangedFiles(
  target: string,
  files: Map<string, string>,
  previous: string[],
): Promise<string[]> {
  if (!existsSync(target)) {
    await writeDirectoryAtomically(target, files);
    return [...files.keys()];
  }
  const staging = `${target}.staging-${process.pid}`;
  const replaced = `${target}.previous-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const dropped = previous.filter((file) => !files.has(file) && existsSync(path.join(target, file)));
  const written: string[] = [];
  const stopCleanly = cleanUpOnSignal(target, staging, replaced);
  try {
    await carryOver(target, staging, '', (file) => !files.has(file) && !previous.includes(file));
    for (const [file, content] of files) {
      const from = path.join(target, file);
      const to = path.join(staging, file);
      await mkdir(path.dirname(to), { recursive: true });
      const current = await readFile(from, 'utf8').catch(() => undefined);
      if (current === content) await keep(from, to);
      else {
        await writeFile(to, content);
        written.push(file);
      }
    }
    if (written.length === 0 && dropped.length === 0) return [];
    await rename(target, replaced);
    try {
      await rename(staging, target);
    } catch (error) {
      await rename(replaced, target);
      throw error;
    }
    // The new output is in place; an old tree that cannot be removed (a file locked by another program) is only litter.
    await rm(replaced, { recursive: true, force: true }).catch(() => undefined);
    return written;
  } finally {
    stopCleanly();
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * While an output is written: SIGINT or SIGTERM removes the staging folder, puts the previous output back if the
 * swap was half done, and exits with the conventional status (130, 143). Returns the uninstall.
 */
function cleanUpOnSignal(target: string, staging: string, replaced: string): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      // Writes still in flight on the thread pool can refill the folder while it goes: tried again a few times.
      rmSync(staging, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
      if (!existsSync(target) && existsSync(replaced)) renameSync(replaced, target);
      rmSync(`${target}.lock`, { force: true });
    } finally {
      // Whatever is left is the next run's to recover (its pid is gone by then): the status says how this one ended.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Copies the entries of `from` that `wanted` accepts (paths relative to the output) into `to`, by hard links. */
async function carryOver(from: string, to: string, relative: string, wanted: (file: string) => boolean): Promise<void> {
  for (const entry of await readdir(path.join(from, relative), { withFileTypes: true })) {
    const file = relative ? `${relative}/${entry.name}` : entry.name;
    const source = path.join(from, file);
    const destination = path.join(to, file);
    if (entry.isDirectory()) {
      await carryOver(from, to, file, wanted);
    } else if (wanted(file)) {
      await mkdir(path.dirname(destination), { recursive: true });
      if (entry.isSymbolicLink()) await symlink(await readlink(source), destination);
      else await keep(source, destination);
    }
  }
}

/** The same file at a second path: a hard link, else a copy with the original's times. */
async function keep(source: string, destination: string): Promise<void> {
  await link(source, destination).catch(async () => {
    await copyFile(source, destination);
    const { atime, mtime } = await stat(source);
    await utimes(destination, atime, mtime);
  });
}
