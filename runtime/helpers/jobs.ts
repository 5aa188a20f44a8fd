import type { AlmaClient } from '../client.js';
import { AlmaAbortError, AlmaError } from '../errors.js';
import { sleep } from '../internal/sleep.js';
import { pathOf } from '../internal/url.js';
import type { CallOptions, OperationSpec } from '../operation.js';

/** What running a job answers: the job, with a link to the instance it started. */
export interface JobRunAnswer {
  additional_info?: { link?: string | null; value?: string | null } | null;
}

/** A job instance as Alma reports it while it runs. */
export interface JobInstanceLike {
  status?: { value?: string | null; desc?: string | null } | null;
  progress?: number | null;
}

export interface RunJobOptions extends Omit<CallOptions, 'timeoutMs'> {
  /** Between two reads of the instance. Default 5,000 ms (jobs take minutes; every read is a call of the budget). */
  pollMs?: number;
  /** How long to wait for the job to end, in all. Default 30 minutes. */
  timeoutMs?: number;
  /** Per call, as `timeoutMs` of a single call. */
  callTimeoutMs?: number;
  /** Called with every read of the instance. */
  onProgress?: (instance: JobInstanceLike) => void;
}

export interface JobRun<I> {
  jobId: string;
  instanceId: string;
  /** The instance as last read: ended. */
  instance: I;
  /** Its final status, e.g. `COMPLETED_SUCCESS`. */
  status: string;
}

/** The statuses of an instance that ended well ('systemJobStatus' code table). */
const SUCCEEDED = new Set(['COMPLETED_SUCCESS', 'COMPLETED_WARNING', 'COMPLETED_NO_BULKS']);
/** The statuses of an instance that ended badly. */
const FAILED = new Set(['COMPLETED_FAILED', 'FAILED', 'ABORTED', 'SYSTEM_ABORTED', 'CANCELLED', 'SKIPPED']);

/** A job ended with a status that is not a success, or did not end in time. */
export class AlmaJobError extends AlmaError {
  override readonly name: string = 'AlmaJobError';
  constructor(
    message: string,
    readonly jobId: string,
    readonly instanceId: string | undefined,
    /** The last status read; `undefined` when no instance was started. */
    readonly status: string | undefined,
    readonly instance: JobInstanceLike | undefined,
  ) {
    super(message);
  }
}

type RunFunction<P, R> = (client: AlmaClient, params: P, options?: CallOptions) => Promise<R>;
type InstanceFunction<I> = (
  client: AlmaClient,
  params: { jobId: string; instanceId: string },
  options?: CallOptions,
) => Promise<I>;

/** The operations of running a job, as the generated module has them. */
export interface JobOperations<P, R, I> {
  /** Runs the job (`op=run`); its answer links to the instance it started. */
  run: RunFunction<P, R>;
  readInstance: InstanceFunction<I>;
  /** `readInstance`'s descriptor: its path template finds the instance id in the run's link. */
  instance: Pick<OperationSpec, 'name' | 'path' | 'pathParams'>;
}

/**
 * Runs a job, takes the instance id from the link in the answer, and reads the instance every `pollMs` until its
 * status is final. Resolves when it ended well; throws `AlmaJobError` when it ended badly or did not end within
 * `timeoutMs`, and `AlmaAbortError` when `signal` aborts. The generated `runJobAndWait(client, params, options)`
 * calls this with `actOnJob`, `getJobInstance` and its descriptor.
 */
export async function runJob<
  P extends { jobId: string; op: string },
  R extends JobRunAnswer,
  I extends JobInstanceLike,
>(
  { run, readInstance, instance: instanceOperation }: JobOperations<P, R, I>,
  client: AlmaClient,
  params: Omit<P, 'op'>,
  options: RunJobOptions = {},
): Promise<JobRun<I>> {
  const { pollMs = 5000, timeoutMs = 30 * 60_000, callTimeoutMs, onProgress, ...callOptions } = options;
  const perCall: CallOptions = { ...callOptions, ...(callTimeoutMs !== undefined ? { timeoutMs: callTimeoutMs } : {}) };
  const deadline = Date.now() + timeoutMs;
  const { jobId } = params;
  const answer = await run(client, { ...params, op: 'run' } as P, perCall);
  const instanceId = instanceIdOf(answer, instanceOperation.path);
  if (!instanceId)
    throw new AlmaJobError(
      `job ${jobId} was submitted, but the answer has no instance link to follow ` +
        `(additional_info: ${JSON.stringify(answer.additional_info ?? null)})`,
      jobId,
      undefined,
      undefined,
      undefined,
    );
  for (;;) {
    const instance = await readInstance(client, { jobId, instanceId }, perCall);
    onProgress?.(instance);
    const status = instance.status?.value ?? '';
    if (SUCCEEDED.has(status)) return { jobId, instanceId, instance, status };
    if (FAILED.has(status))
      throw new AlmaJobError(
        `job ${jobId} instance ${instanceId} ended with ${status}` +
          (instance.status?.desc ? ` (${instance.status.desc})` : ''),
        jobId,
        instanceId,
        status,
        instance,
      );
    const wait = Math.min(pollMs, deadline - Date.now());
    if (wait <= 0)
      throw new AlmaJobError(
        `job ${jobId} instance ${instanceId} did not end within ${timeoutMs} ms ` +
          `(last status ${status || 'unknown'}, ${instance.progress ?? 0} %)`,
        jobId,
        instanceId,
        status,
        instance,
      );
    await sleep(
      wait,
      options.signal,
      () => new AlmaAbortError('runJobAndWait', 'GET', pathOf(instanceOperation, { jobId, instanceId })),
    );
  }
}

/**
 * The instance id in the run's link, read with the instance operation's path template:
 * `…/conf/jobs/{job_id}/instances/{instance_id}` takes the last segment after `/instances/`.
 */
function instanceIdOf(answer: JobRunAnswer, template: string): string | undefined {
  const link = answer.additional_info?.link;
  if (!link) return undefined;
  const segments = template.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const match = new RegExp(`${segments.join('([^/?#]+)')}(?:[?#]|$)`).exec(link);
  const id = match?.[match.length - 1];
  return id ? decodeURIComponent(id) : undefined;
}
