import { createHash } from 'node:crypto';
import { readFileSync, type Stats, statSync } from 'node:fs';

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A file's sha256, or `missing`. Staleness, the openapi fragment keys and the manifest all hash the same inputs in
 * one run: each file is read once per run while its size and modification time stay the same.
 */
export function hashFile(file: string): string {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return 'missing';
  }
  const seen = hashed.get(file);
  if (seen && seen.size === stat.size && seen.mtimeMs === stat.mtimeMs) return seen.hash;
  const hash = sha256(readFileSync(file));
  hashed.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, hash });
  return hash;
}
const hashed = new Map<string, { size: number; mtimeMs: number; hash: string }>();
