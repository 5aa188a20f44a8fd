import { watch } from 'node:fs';
import path from 'node:path';

/**
 * Calls `onChange` after every burst of changes under the spec folder or to the configuration file (debounced by
 * `quietMs`), one call at a time: a change during a call is taken after it. The folders are watched, not the files:
 * an editor that saves by writing a new file and renaming it over the old one replaces the inode a file watch would
 * follow. Returns the function that stops watching.
 */
export function watchInputs(
  inputs: { specDir: string; configFile: string },
  onChange: () => Promise<void>,
  quietMs = 200,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = Promise.resolve();
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(onChange);
    }, quietMs);
  };
  const configName = path.basename(inputs.configFile);
  const watchers = [
    watch(inputs.specDir, { recursive: true }, changed),
    watch(path.dirname(inputs.configFile), (_event, name) => {
      if (name === configName) changed();
    }),
  ];
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
