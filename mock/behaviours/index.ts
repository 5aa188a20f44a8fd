import type { Operation } from '../../generator/ir/model.js';
import { withRole } from '../../generator/ir/roles.js';
import type { Call, Outcome } from '../outcomes.js';
import type { MockStore } from '../store.js';
import { AnalyticsReports } from './analytics.js';
import { Jobs } from './jobs.js';
import { redirectToRecord } from './redirect.js';
import type { WebhookSender } from '../webhooks.js';

/** Settings of the behaviours that go beyond CRUD (see `MockOptions.jobs` and `MockOptions.analytics`). */
export interface BehaviourSettings {
  jobPolls: number;
  jobOutcomes: Record<string, string>;
  analyticsRows: number;
  analyticsLoadingPolls: number;
  /** Jobs end by time instead of by reads. */
  jobDurationMs?: number | undefined;
  jobLimits?: { running?: number; perJobPerWindow?: number; windowMs?: number } | undefined;
}

/**
 * The operations whose answers depend on more than the stored records: running a job (an instance that moves from
 * queued to a final status as it is read) and Analytics reports (a resumption token, headings on the first page,
 * "still loading" pages, code 420033 past the end). Returns `undefined` for every other call.
 */
export function behaviours(
  store: MockStore,
  settings: BehaviourSettings,
  operations: readonly Operation[],
  webhooks?: WebhookSender,
) {
  const jobs = new Jobs(store, settings, withRole(operations, 'job-instance')?.path, webhooks);
  const analytics = new AnalyticsReports(settings);
  return (call: Call, baseUrl: string): Outcome | undefined => {
    if (call.route.operation.supplementary?.redirect) return redirectToRecord(store, call, baseUrl, operations);
    switch (call.route.operation.role.kind) {
      case 'job-run':
        return jobs.run(call, baseUrl);
      case 'job-instance':
        jobs.readInstance(call);
        return undefined;
      case 'analytics-report':
        return analytics.report(call);
      default:
        return undefined;
    }
  };
}
