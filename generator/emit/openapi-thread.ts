import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OpenapiAnswer, OpenapiJob } from './openapi-worker.js';

/**
 * The worker thread that makes `src/openapi.ts`'s fragments. It starts loading openapi-typescript at once; `run`
 * hands it the model. From the TypeScript sources (tests), the worker runs them through tsx.
 */
export class OpenapiThread {
  private readonly worker: Worker;

  constructor() {
    const self = fileURLToPath(import.meta.url);
    if (self.endsWith('.js')) {
      this.worker = new Worker(path.join(path.dirname(self), 'openapi-worker.js'));
    } else {
      // The TypeScript sources (tests): the thread registers tsx first (a worker does not take `--import`).
      const tsxDir = path.dirname(createRequire(self).resolve('tsx/package.json'));
      const [tsx, file] = [pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href, pathToFileURL(path.join(path.dirname(self), 'openapi-worker.ts')).href];
      this.worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`, { eval: true });
    }
  }

  run(job: OpenapiJob): Promise<Extract<OpenapiAnswer, { fragments: unknown }>['fragments']> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(new Error(`making src/openapi.ts failed: ${error.message}`));
      this.worker.once('error', failed);
      this.worker.once('exit', (code) => failed(new Error(`its thread stopped (exit code ${code})`)));
      this.worker.once('message', (answer: OpenapiAnswer) => ('error' in answer ? failed(new Error(answer.error)) : resolve(answer.fragments)));
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}
