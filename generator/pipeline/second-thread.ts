import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { receivedError, type TransferredError } from '../errors.js';
import type { ApiModel } from '../ir/model.js';
import type { OpenapiFragment } from '../emit/openapi/fragments.js';
import type { FragmentsAnswer, FragmentsJob, ModelAnswer, ModelJob, ThreadJob } from './second-thread-worker.js';

/**
 * The second thread of a generation (see `second-thread-worker.ts`): `model` has it build the model, `fragments` has
 * it make the fragments of `src/openapi.ts` from that model. From the TypeScript sources (tests), it runs them through
 * tsx.
 */
export class SecondThread {
  private readonly worker: Worker;

  constructor() {
    const self = fileURLToPath(import.meta.url);
    if (self.endsWith('.js')) {
      this.worker = new Worker(path.join(path.dirname(self), 'second-thread-worker.js'));
    } else {
      // The TypeScript sources (tests): the thread registers tsx first (a worker does not take `--import`).
      const tsxDir = path.dirname(createRequire(self).resolve('tsx/package.json'));
      const [tsx, file] = [
        pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href,
        pathToFileURL(path.join(path.dirname(self), 'second-thread-worker.ts')).href,
      ];
      this.worker = new Worker(
        `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`,
        { eval: true },
      );
    }
  }

  /** The model, built on the thread (its errors are thrown here, as the class they were). */
  async model(
    job: Omit<ModelJob, 'kind'>,
  ): Promise<{ model: ApiModel; parses: string; slices: Record<string, string>; read: string[] }> {
    const answer = await this.ask<Exclude<ModelAnswer, { error: unknown }>>(
      { kind: 'model', ...job },
      'building the model failed',
    );
    return { ...answer, model: JSON.parse(answer.model) as ApiModel };
  }

  /** The fragments of `areas`, made from the model `model` built. */
  async fragments(job: Omit<FragmentsJob, 'kind'>): Promise<{ area: string; fragment: OpenapiFragment }[]> {
    return (
      await this.ask<Exclude<FragmentsAnswer, { error: unknown }>>(
        { kind: 'fragments', ...job },
        'making src/openapi.ts failed',
      )
    ).fragments;
  }

  /** One job and its answer: the thread answers its jobs in order, one at a time. */
  private ask<T>(job: ThreadJob, failure: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (answer: T | { error: TransferredError } | Error) => {
        this.worker.off('message', settle).off('error', settle).off('exit', stopped);
        if (answer instanceof Error) reject(new Error(`${failure}: ${answer.message}`));
        else if (answer !== null && typeof answer === 'object' && 'error' in answer)
          reject(receivedError(answer.error, failure));
        else resolve(answer);
      };
      const stopped = (code: number) => settle(new Error(`its thread stopped (exit code ${code})`));
      this.worker.on('message', settle).on('error', settle).on('exit', stopped);
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}
