import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { requireWithCompileCache } from '../load/compile-cache.js';
import type { OpenapiFragment } from './openapi.js';

/**
 * The openapi-typescript side of a generation, on its own thread: it loads openapi-typescript while the main thread
 * builds the model, then makes the fragments of the areas it is sent (see `emit/openapi.ts`). Nothing else is
 * imported before that load: this thread's time is what a generation waits for.
 */
export interface OpenapiJob {
  /** The areas whose fragment is to be made (the others' are cached). */
  areas: { name: string }[];
  specDir: string;
  /** Each area's fragment key (`fragmentKeys`). */
  keys: Record<string, string>;
  /** The model, as JSON. */
  model: string;
}

export type OpenapiAnswer = { fragments: { area: string; fragment: OpenapiFragment }[] } | { error: string };

if (parentPort) {
  const port = parentPort;
  const preload = () => requireWithCompileCache(createRequire(import.meta.url), 'openapi-typescript');
  if ((workerData as { preload?: boolean } | undefined)?.preload) preload();
  // `preload` (from a thread started early, once it is known to be needed), then the job.
  port.on('message', (message: OpenapiJob | 'preload') => {
    if (message === 'preload') return void preload();
    port.removeAllListeners('message');
    makeFragments(message).then(
      (fragments) => port.postMessage({ fragments } satisfies OpenapiAnswer),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies OpenapiAnswer),
    );
  });
}

export async function makeFragments(job: OpenapiJob): Promise<{ area: string; fragment: OpenapiFragment }[]> {
  const [{ areaFragment, bundleAreas }, { DocumentStore }] = await Promise.all([import('./openapi.js'), import('../load/documents.js')]);
  const model = JSON.parse(job.model) as import('../ir/model.js').ApiModel;
  const made = [];
  for (const area of bundleAreas({ areas: job.areas, specDir: job.specDir }, model, new DocumentStore(job.specDir))) {
    made.push({ area: area.area, fragment: await areaFragment(area, job.keys[area.area] ?? '') });
  }
  return made;
}
