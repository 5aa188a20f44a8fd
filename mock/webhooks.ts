import { signWebhook } from '../runtime/webhooks/signature.js';
import { jsonToXml, type JsonObject } from '../runtime/xml/codec.js';
import type { XmlType } from '../runtime/xml/schema.js';
import { CodeValueXml } from '../runtime/xml/schema.js';
import type { ApiModel } from '../generator/ir/model.js';
import { WEBHOOK_ENVELOPE, WEBHOOK_ROOT } from '../generator/ir/webhooks.js';
import type { WebhookSettings } from './settings.js';

/** One delivery try, as the mock's webhook log records it. */
export interface WebhookDelivery {
  id: string;
  action: string;
  attempt: number;
  /** The listener's status; 0 when it did not answer in time (or at all). */
  status: number;
  ms: number;
}

/**
 * Sends webhooks as Alma does: an event in JSON or XML (`<notification>`), signed with the integration profile's
 * secret (`X-Exl-Signature`, the Base64 HMAC-SHA256 of the body); a listener that answers with anything but 2xx, or not
 * within the timeout (Alma's 5 s), gets the same event again (same id) after a pause, up to `retries` times.
 */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private sequence = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly xml: XmlType;

  constructor(
    private readonly settings: WebhookSettings,
    model: ApiModel,
    xmlTypes: Map<string, XmlType>,
    private readonly institution: string,
  ) {
    const props = (model.webhooks ?? []).flatMap((hook) => {
      const type = hook.schemaId ? xmlTypes.get(hook.schemaId) : undefined;
      if (hook.wraps)
        return [
          {
            key: hook.element,
            type: { props: [{ key: hook.wraps, ...(type ? { type } : {}) }, { key: 'cause' }, { key: 'method' }] },
          },
        ];
      return type ? [{ key: hook.element, type }] : [];
    });
    const envelope = WEBHOOK_ENVELOPE.map((p) => ({ key: p.key, ...(p.codeValue ? { type: CodeValueXml } : {}) }));
    this.xml = { root: WEBHOOK_ROOT, props: [...envelope, ...props] };
  }

  /** Sends one event (in the background: a write through the mock never waits for a listener). */
  send(action: string, element: string, payload: JsonObject, event?: string): void {
    const id = `${Date.now()}${String(++this.sequence).padStart(6, '0')}`;
    const body: JsonObject = {
      id,
      action,
      institution: { value: this.institution, desc: this.institution },
      time: new Date().toISOString(),
      ...(event ? { event: { value: event, desc: event.replace(/_/g, ' ').toLowerCase() } } : {}),
      [element]: payload,
    };
    const delivery = this.deliver(id, action, body).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every event sent so far was delivered or given up. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async deliver(id: string, action: string, event: JsonObject): Promise<void> {
    const format = this.settings.format ?? 'json';
    const body = format === 'xml' ? jsonToXml(event, this.xml, { declaration: true }) : JSON.stringify(event);
    const signature = await signWebhook(this.settings.secret, body);
    const contentType = format === 'xml' ? 'application/xml' : 'application/json';
    const tries = 1 + (this.settings.retries ?? 3);
    for (let attempt = 1; attempt <= tries; attempt++) {
      const started = Date.now();
      let status = 0;
      try {
        const response = await fetch(this.settings.url, {
          method: 'POST',
          headers: { 'Content-Type': contentType, 'X-Exl-Signature': signature },
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5_000),
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
      } catch {
        status = 0;
      }
      this.deliveries.push({ id, action, attempt, status, ms: Date.now() - started });
      if (status >= 200 && status < 300) return;
      if (attempt < tries) await new Promise((r) => setTimeout(r, this.settings.retryDelayMs ?? 1_000));
    }
  }
}
