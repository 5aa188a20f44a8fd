import type { AlmaClient } from '../client.js';
import { AlmaAbortError, AlmaApiError, AlmaError } from '../errors.js';
import { type JobLimits, processJobLimits } from './job-limits.js';
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
  /**
   * Alma's limits on API-started jobs (3 running, the same job 5 times an hour): the run waits for a place instead of
   * failing with 402222/402223. Default: this process's; `jobLimits({ store: redis })` shares them; `false` turns
   * the wait off (a refusal still waits `busyRetryMs` and tries again until `timeoutMs`).
   */
  limits?: JobLimits | false;
  /**
   * After a 402222/402223 refusal (another client started jobs), how long to wait before trying again. Default 60 s.
   */
  busyRetryMs?: number;
  /**
   * A running webhook listener (`createWebhookHandler`): the wait ends on the job's JOB_END event, with no polling
   * call; the instance is read only if no event came within `fallbackPollMs` (default 5 minutes), and then again
   * every `fallbackPollMs`.
   */
  events?: { jobEnded(instanceId: string, signal?: AbortSignal): Promise<object> };
  fallbackPollMs?: number;
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
  const {
    pollMs = 5000,
    timeoutMs = 30 * 60_000,
    callTimeoutMs,
    onProgress,
    limits = processJobLimits,
    busyRetryMs = 60_000,
    events,
    fallbackPollMs = 5 * 60_000,
    ...callOptions
  } = options;
  const perCall: CallOptions = { ...callOptions, ...(callTimeoutMs !== undefined ? { timeoutMs: callTimeoutMs } : {}) };
  const deadline = Date.now() + timeoutMs;
  const { jobId } = params;
  const release = limits ? await limits.acquire(jobId, options.signal) : () => undefined;
  try {
    const answer = await startWithinLimits(() => run(client, { ...params, op: 'run' } as P, perCall), {
      jobId,
      deadline,
      busyRetryMs,
      signal: options.signal,
    });
    return await follow(answer);
  } finally {
    release();
  }

  async function follow(answer: R): Promise<JobRun<I>> {
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
    // With a listener, the wait is for the JOB_END event; the instance is read only when none came within
    // `fallbackPollMs` (a lost event, a listener Alma cannot reach). Without one, the instance is read every `pollMs`.
    let ended = events?.jobEnded(instanceId, options.signal);
    for (;;) {
      const left = deadline - Date.now();
      const heard = ended ? await eventWithin<I>(ended, Math.min(fallbackPollMs, Math.max(0, left))) : undefined;
      // One event per instance: after it, the instance is read.
      if (heard) ended = undefined;
      const instance = heard ?? (await readInstance(client, { jobId, instanceId }, perCall));
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
      if (Date.now() >= deadline)
        throw new AlmaJobError(
          `job ${jobId} instance ${instanceId} did not end within ${timeoutMs} ms ` +
            `(last status ${status || 'unknown'}, ${instance.progress ?? 0} %)`,
          jobId,
          instanceId,
          status,
          instance,
        );
      if (!ended)
        await sleep(
          Math.min(pollMs, deadline - Date.now()),
          options.signal,
          () => new AlmaAbortError('runJobAndWait', 'GET', pathOf(instanceOperation, { jobId, instanceId })),
        );
    }
  }
}

/** The instance of a JOB_END event that comes within `ms`, or `undefined`. */
async function eventWithin<I>(event: Promise<object>, ms: number): Promise<I | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    const heard = await Promise.race([event, timeout]);
    return (heard as { job_instance?: I } | undefined)?.job_instance;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the job; Alma's "Execution threshold reached" (402222, 402223: another client's jobs hold the places) is
 * waited out and tried again until the deadline, instead of failing at once.
 */
async function startWithinLimits<R>(
  start: () => Promise<R>,
  context: { jobId: string; deadline: number; busyRetryMs: number; signal: AbortSignal | undefined },
): Promise<R> {
  for (;;) {
    try {
      return await start();
    } catch (error) {
      const busy = error instanceof AlmaApiError && (error.code === '402222' || error.code === '402223');
      const wait = Math.min(context.busyRetryMs, context.deadline - Date.now());
      if (!busy || wait <= 0) throw error;
      await sleep(wait, context.signal);
    }
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
