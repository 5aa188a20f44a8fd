import type { ApiModel } from '../generator/ir/model.js';
import type { JsonObject } from '../runtime/xml/codec.js';
import type { Route } from './routes.js';
import type { MockStore } from './store.js';
import type { WebhookSender } from './webhooks.js';

/**
 * The webhooks a write through the mock sets off, as Alma's integration profile would: a write whose answer is the
 * record of a webhook action's payload (by the IR's `webhooks`: an item loan → LOAN, a user → USER, …) sends that
 * action, with the event `<ACTION>_CREATED` for a POST and `<ACTION>_UPDATED` for a PUT.
 */
export function writeEvents(model: ApiModel, webhooks: WebhookSender) {
  const byResponse = new Map<string, NonNullable<ApiModel['webhooks']>[number]>();
  for (const hook of model.webhooks ?? [])
    if (hook.schemaId && hook.action !== 'JOB_END') byResponse.set(hook.schemaId, hook);
  return (route: Route, body: JsonObject | undefined): void => {
    const type = route.operation.response.type;
    const hook = type?.kind === 'ref' ? byResponse.get(type.id) : undefined;
    if (!hook || !body || route.operation.role.kind === 'job-run') return;
    const verb = route.method === 'POST' ? 'CREATED' : route.method === 'PUT' ? 'UPDATED' : undefined;
    if (!verb) return;
    const payload = hook.wraps
      ? { [hook.wraps]: structuredClone(body), method: verb === 'CREATED' ? 'CREATE' : 'UPDATE' }
      : structuredClone(body);
    webhooks.send(hook.action, hook.element, payload, `${hook.action}_${verb}`);
  };
}

/** The institution the seeded data is of (`/conf/general`), for the events' `institution`. */
export function seededInstitution(store: MockStore): string {
  const general = store.document('/almaws/v1/conf/general');
  const code = (general?.institution as { value?: unknown } | undefined)?.value;
  return typeof code === 'string' ? code : 'MOCK_INST';
}
