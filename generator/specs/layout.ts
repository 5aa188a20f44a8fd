import path from 'node:path';

/**
 * The `specs/` folder beside the configuration, decided here alone: `cache/` (what `sync` downloaded: ignored by
 * git, it is Ex Libris' data), `previous/` (what the last `sync` replaced, for `diff`), and `alma.lock.json` (every
 * synced file's URL and hash: committed, so that builds reproduce).
 */
export const SPECS_FOLDER = 'specs';
/** The spec cache relative to the configuration, as configurations and the CLI write it. */
export const CACHE_SPECS = `${SPECS_FOLDER}/cache`;
export const PREVIOUS_SPECS = `${SPECS_FOLDER}/previous`;
export const LOCK_FILE = `${SPECS_FOLDER}/alma.lock.json`;

export interface SpecFolders {
  cacheDir: string;
  previousDir: string;
  lockFile: string;
}

/** The folders of `specs/` for a configuration file. */
export function specFolders(configFile: string): SpecFolders {
  const base = path.dirname(configFile);
  return {
    cacheDir: path.join(base, CACHE_SPECS),
    previousDir: path.join(base, PREVIOUS_SPECS),
    lockFile: path.join(base, LOCK_FILE),
  };
}

/** Where `sync` keeps the specs a cache replaces: `previous/` beside it. */
export function previousOf(cacheDir: string): string {
  return path.join(path.dirname(cacheDir), path.basename(PREVIOUS_SPECS));
}
