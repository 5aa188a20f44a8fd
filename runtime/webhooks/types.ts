import type { CodeValue, JsonValue } from '../operation.js';

/** What every webhook carries besides its payload. */
export interface WebhookEnvelope {
  /** The webhook's own id: the same event sent again has the same id. */
  id: string;
  /** Alma's action, as sent (`JOB_END`, `job_end`, `LOAN`, …). */
  action: string;
  /** The institution where it happened: a listener checks it (sandbox and production may share a URL). */
  institution: CodeValue;
  /** When it happened (ISO 8601). */
  time: string;
  /** What happened, for the actions that say (`LOAN_CREATED`, `BIB_UPDATED`, …; the WebhookEvents code table). */
  event?: CodeValue | null;
}

/** A webhook of a known action: `type` is the action (upper case), the payload under its element, typed. */
export type WebhookOf<Type extends string, Element extends string, Payload> = WebhookEnvelope & {
  type: Type;
} & { [K in Element]: Payload };

/** A webhook whose action this package does not know (Alma added one): never dropped, its whole body as it came. */
export type UnknownWebhook = WebhookEnvelope & { type: 'unknown'; body: { [key: string]: JsonValue } };

/** What a USER webhook carries: the user, and how it changed. */
export interface WebhookUser<User> {
  user: User;
  /** Why (`UPDATE`, `MERGE`, …), when Alma says. */
  cause?: string | null;
  method?: string | null;
}
