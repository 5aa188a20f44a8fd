import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { ApiModel } from '../ir/model.js';
import { requireWithCompileCache } from '../load/compile-cache.js';
import { DocumentStore } from '../load/documents.js';
import { areaFragment, bundleAreas, type OpenapiFragment } from './openapi.js';

/**
 * The openapi-typescript side of a generation, on its own thread: it loads openapi-typescript while the main thread
 * builds the model, then makes the fragments of the areas it is sent (see `emit/openapi.ts`).
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
  // Loaded at once, while the main thread builds the model the job will bring.
  requireWithCompileCache(createRequire(import.meta.url), 'openapi-typescript');
  port.once('message', (message: OpenapiJob) => {
    makeFragments(message).then(
      (fragments) => port.postMessage({ fragments } satisfies OpenapiAnswer),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies OpenapiAnswer),
    );
  });
}

async function makeFragments(job: OpenapiJob): Promise<{ area: string; fragment: OpenapiFragment }[]> {
  const model = JSON.parse(job.model) as ApiModel;
  const made = [];
  for (const area of bundleAreas({ areas: job.areas, specDir: job.specDir }, model, new DocumentStore(job.specDir))) {
    made.push({ area: area.area, fragment: await areaFragment(area, job.keys[area.area] ?? '') });
  }
  return made;
}
