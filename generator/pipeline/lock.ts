import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a lock file holds: who writes the output, since when. */
interface Holder {
  pid: number;
  started: string;
}

/**
 * Takes the output folder for one run (`<output>.lock`, with the holder's pid and start time), so that two runs at
 * once never mix their files: a second run waits up to `waitMs`, then refuses with who holds it. A lock whose
 * process is gone is broken. Returns the release.
 */
export async function lockOutput(target: string, waitMs = 30_000): Promise<() => Promise<void>> {
  const file = `${target}.lock`;
  await mkdir(path.dirname(target), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, started: new Date().toISOString() } satisfies Holder));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as Holder)
      .catch(() => undefined);
    if (!holder || !alive(holder.pid)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline)
      throw new UsageError(
        `another alma-codegen run (pid ${holder.pid}, since ${holder.started}) is writing ${target}`,
        'wait for it to finish, or stop it; a lock left by a process that is gone is broken by the next run',
      );
    await sleep(100);
  }
}

/** Whether a process runs (signal 0 tests it without touching it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What killed runs left beside the output (`<output>.staging-<pid>`, `<output>.previous-<pid>` of processes that are
 * gone): a `previous` whose swap never finished is put back when the output itself is missing; the rest is removed.
 */
export function recoverLitter(target: string): string[] {
  const parent = path.dirname(target);
  if (!existsSync(parent)) return [];
  const base = path.basename(target);
  const cleaned: string[] = [];
  for (const name of readdirSync(parent)) {
    const match = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(staging|previous)-(\\d+)$`).exec(name);
    if (!match || alive(Number(match[2]))) continue;
    const full = path.join(parent, name);
    if (match[1] === 'previous' && !existsSync(target)) renameSync(full, target);
    else rmSync(full, { recursive: true, force: true });
    cleaned.push(name);
  }
  return cleaned;
}
