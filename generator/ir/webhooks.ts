import type { ApiModel, WebhookAction } from './model.js';

/**
 * Alma's webhooks: the element of each action's payload in the `<notification>` Alma sends (its `webhook.xsd`, as
 * kb-dk/alma-client keeps it; Ex Libris' "Anatomy of a Webhook"), and the record type the payload is, found by its
 * XML root. `webhook_user` is `{ user, … }` (webhook_user_extended.xsd); a notification's data has no schema here.
 */
const ACTIONS: readonly { action: string; element: string; root?: string; wraps?: string }[] = [
  { action: 'JOB_END', element: 'job_instance', root: 'job_instance' },
  { action: 'LOAN', element: 'item_loan', root: 'item_loan' },
  { action: 'REQUEST', element: 'user_request', root: 'user_request' },
  { action: 'BIB', element: 'bib', root: 'bib' },
  { action: 'HOLDING', element: 'holding', root: 'holding' },
  { action: 'ITEM', element: 'item', root: 'item' },
  { action: 'USER', element: 'webhook_user', wraps: 'user' },
  { action: 'LENDING_REQUEST', element: 'lending_resource_sharing_request', root: 'user_resource_sharing_request' },
  { action: 'NOTIFICATION', element: 'notification_data' },
];

/** The XML root of a webhook's body. */
export const WEBHOOK_ROOT = 'notification';

/** What every webhook carries before its payload, in XML order; `codeValue`: a code-table value (`{ value, desc }`). */
export const WEBHOOK_ENVELOPE: readonly { key: string; codeValue?: true }[] = [
  { key: 'id' },
  { key: 'action' },
  { key: 'event', codeValue: true },
  { key: 'institution', codeValue: true },
  { key: 'time' },
];

/** The webhook actions, each with the schema of its payload where the model has it (`ApiModel.webhooks`). */
export function markWebhooks(model: ApiModel): void {
  const byRoot = (root: string | undefined) =>
    root === undefined
      ? undefined
      : (Object.values(model.schemas).find((s) => s.xmlRoot === root && s.source === 'xsd')?.id ??
        Object.values(model.schemas).find((s) => s.xmlRoot === root)?.id);
  model.webhooks = ACTIONS.map((a): WebhookAction => {
    const schema = byRoot(a.root ?? a.wraps);
    return {
      action: a.action,
      element: a.element,
      ...(schema ? { schemaId: schema } : {}),
      ...(a.wraps ? { wraps: a.wraps } : {}),
    };
  });
}
