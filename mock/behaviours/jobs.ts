import type { BehaviourSettings } from './index.js';
import { notFoundOutcome, type Call, type Outcome } from '../outcomes.js';
import type { MockStore } from '../store.js';
import type { JsonObject } from '../../runtime/xml/codec.js';
import type { WebhookSender } from '../webhooks.js';

/**
 * Running a job: `op=run` stores an instance and answers with its link; each read of an instance moves it on, from
 * queued through running to its final status (`jobPolls`, `jobOutcomes`), or, with `jobDurationMs`, time does. Alma's
 * limits on API-started jobs hold: at most N running at once (402222) and the same job M times a window (402223).
 * When an instance ends, a JOB_END webhook goes out (when the mock has a listener).
 */
export class Jobs {
  private readonly instanceReads = new Map<string, number>();
  /** Instances not ended yet, by `jobId/instanceId`. */
  private readonly running = new Set<string>();
  /** When each job was last started, for the per-job limit. */
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly store: MockStore,
    private readonly settings: BehaviourSettings,
    /** The path template of the operation that reads instances, if the specs have one. */
    private readonly instancePath: string | undefined,
    private readonly webhooks?: WebhookSender,
  ) {}

  /** Alma's refusal of a run over its limits, or nothing. */
  private overLimits(jobId: string): Outcome | undefined {
    const { running = 3, perJobPerWindow = 5, windowMs = 3_600_000 } = this.settings.jobLimits ?? {};
    const refuse = (code: string) => ({ status: 400, error: { code, message: 'Execution threshold reached.' } });
    if (this.running.size >= running) return refuse('402222');
    const recent = (this.starts.get(jobId) ?? []).filter((t) => t > Date.now() - windowMs);
    this.starts.set(jobId, recent);
    if (recent.length >= perJobPerWindow) return refuse('402223');
    return undefined;
  }

  run(call: Call, baseUrl: string): Outcome | undefined {
    const [jobId = ''] = call.params;
    const job = this.store.get(collectionOf(call.route.operation.path, call.params), jobId);
    if (!job) return notFoundOutcome(call.route, jobId, call.query);
    if (call.query.get('op') !== 'run')
      return {
        status: 400,
        error: {
          code: call.route.invalidCode,
          message: `Unsupported op "${call.query.get('op')}": only op=run is supported.`,
        },
      };
    // Without an operation that reads instances, a run is an action like any other.
    if (!this.instancePath) return undefined;
    const refused = this.overLimits(jobId);
    if (refused) return refused;
    const submitted = new Date().toISOString();
    const instance = this.store.insert(collectionOf(this.instancePath, [jobId]), {
      name: job.name ?? jobId,
      submitted_by: { value: 'api', desc: 'API' },
      submit_time: submitted,
      progress: 0,
      status: { value: 'QUEUED', desc: 'Queued' },
    });
    const key = `${jobId}/${String(instance.id)}`;
    this.running.add(key);
    this.starts.get(jobId)?.push(Date.now()) ?? this.starts.set(jobId, [Date.now()]);
    const duration = this.settings.jobDurationMs;
    if (duration !== undefined) {
      instance.status = { value: 'RUNNING', desc: 'Running' };
      instance.start_time = submitted;
      setTimeout(() => this.end(jobId, instance), duration).unref();
    }
    const link = `${baseUrl}${fill(this.instancePath, [jobId, String(instance.id)])}`;
    return {
      status: 200,
      body: {
        ...structuredClone(job),
        additional_info: { value: `Job no. ${String(instance.id)} triggered on ${submitted}`, link },
      },
    };
  }

  /** Every read moves the instance on: running with progress, then its final status after `jobPolls` reads. */
  readInstance(call: Call): void {
    const [jobId = '', instanceId = ''] = call.params;
    const instance = this.store.get(collectionOf(call.route.operation.path, call.params), instanceId);
    if (!instance) return;
    // Ended by time (or already ended): a read changes nothing.
    if (this.settings.jobDurationMs !== undefined || !this.running.has(`${jobId}/${instanceId}`)) return;
    const key = `${jobId}/${instanceId}`;
    const reads = (this.instanceReads.get(key) ?? 0) + 1;
    this.instanceReads.set(key, reads);
    if (reads < this.settings.jobPolls) {
      instance.status = { value: 'RUNNING', desc: 'Running' };
      instance.progress = Math.floor((100 * reads) / this.settings.jobPolls);
      instance.start_time ??= new Date().toISOString();
      return;
    }
    this.end(jobId, instance);
  }

  /** The instance ends with its job's outcome; a listener hears of it (JOB_END). */
  private end(jobId: string, instance: JsonObject): void {
    const final = this.settings.jobOutcomes[jobId] ?? 'COMPLETED_SUCCESS';
    instance.status = { value: final, desc: final.replace(/_/g, ' ').toLowerCase() };
    instance.progress = 100;
    instance.end_time ??= new Date().toISOString();
    this.running.delete(`${jobId}/${String(instance.id)}`);
    this.webhooks?.send('JOB_END', 'job_instance', structuredClone(instance));
  }
}

/** A path template with its parameters filled in order: `/jobs/{job_id}` with `[M1]` → `/jobs/M1` (a URL's: encoded). */
function fill(
  template: string,
  params: readonly string[],
  encode: (value: string) => string = encodeURIComponent,
): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encode(params[i++] ?? ''));
}

/** The collection a record's path template is in, as the store keys it (decoded): `/jobs/{job_id}/instances/{id}` → `/jobs/M1/instances`. */
function collectionOf(recordTemplate: string, params: readonly string[]): string {
  return fill(recordTemplate.replace(/\/\{[^}]+\}\/?$/, ''), params, (value: string) => value);
}
