import { parentPort } from 'node:worker_threads';
import type { Config } from '../config.js';
import { transferError, type TransferredError } from '../errors.js';
import type { ApiModel } from '../ir/model.js';
import type { DocumentStore } from '../load/documents.js';
import { modelFromCaches } from './slice-cache.js';
import type { RecordedFile } from '../base/recorded.js';
import { areaFragment, type OpenapiFragment } from '../emit/openapi/fragments.js';
import { bundleAreas } from '../emit/openapi/spec.js';
import { loadOpenapiTypescript } from '../emit/openapi/transform.js';

/**
 * The second thread of a generation. It builds the model first, while the main thread loads ts-morph (both take a
 * few hundred milliseconds); with the paths types configured, it then loads openapi-typescript while the main thread
 * emits, and makes the fragments of `src/openapi.ts` it is asked for (see `emit/openapi/fragments.ts`) from the same
 * model and documents.
 */
export type ThreadJob = ModelJob | FragmentsJob;

export interface ModelJob {
  kind: 'model';
  config: Pick<Config, 'file' | 'specDir' | 'areas' | 'nameOverrides'>;
  /** The YAML and XSD parses an earlier generation left (`pipeline/parsed-cache.ts`). */
  parses?: RecordedFile;
  /** The areas' slices of the model it left, by area (`pipeline/slice-cache.ts`). */
  slices: Record<string, RecordedFile>;
  codeHash: string;
  /** Whether openapi-typescript's paths types will be asked for: it is loaded right after the model then. */
  openapiTypes: boolean;
}

export interface FragmentsJob {
  kind: 'fragments';
  /** The areas whose fragment is to be made (the others' are cached). */
  areas: string[];
  /** Each area's fragment key (`fragmentKeys`). */
  keys: Record<string, string>;
  codeHash: string;
  /** The areas' fragments of the last generation, whose units still current are kept. */
  previous: Record<string, OpenapiFragment>;
}

/** The model as JSON, the texts of the parse cache and the slice caches (by area) for the next generation, and the areas read. */
export type ModelAnswer =
  | { model: string; parses: string; slices: Record<string, string>; read: string[] }
  | { error: TransferredError };
export type FragmentsAnswer =
  | { fragments: { area: string; fragment: OpenapiFragment }[] }
  | { error: TransferredError };

if (parentPort) {
  const port = parentPort;
  let built: { model: ApiModel; store: DocumentStore; config: ModelJob['config'] } | undefined;
  /** Runs `work`, which posts its own answer; a failure is posted as the error instead. */
  const answering = (work: () => void) => {
    try {
      work();
    } catch (error) {
      port.postMessage({ error: transferError(error) } satisfies ModelAnswer & FragmentsAnswer);
    }
  };
  port.on('message', (job: ThreadJob) => {
    if (job.kind === 'model') {
      answering(() => {
        const { model, store, parses, slices, read } = modelFromCaches(job.config, job, job.codeHash);
        port.postMessage({ model: JSON.stringify(model), parses, slices, read } satisfies ModelAnswer);
        built = { model, store, config: job.config };
        // Loaded now, while the main thread emits the modules.
        if (job.openapiTypes) loadOpenapiTypescript();
      });
      return;
    }
    answering(() => {
      if (!built) throw new Error('the fragments were asked for before the model was built');
      const { model, store, config } = built;
      const areas = config.areas.filter((a) => job.areas.includes(a.name));
      const fragments = bundleAreas({ areas, specDir: config.specDir }, model, store).map((area) => ({
        area: area.area,
        fragment: areaFragment(area, job.keys[area.area] ?? '', job.codeHash, job.previous[area.area]),
      }));
      port.postMessage({ fragments } satisfies FragmentsAnswer);
    });
  });
}
