import type { BodyKind } from './body.js';
import { detail, shorten, type NormalisedError } from './error-text.js';

export type { NormalisedError } from './error-text.js';

/**
 * Reads any error body Alma or its gateway sends but XML (`xmlErrorBody` in `xml/wire.ts`, loaded with the XML
 * parser only when needed): JSON at the top level or wrapped in `web_service_result` (with `error` as an array or a
 * single object), HTML pages, plain text, nothing.
 */
export function normaliseErrorBody(text: string, kind: Exclude<BodyKind, 'xml'>): NormalisedError {
  if (kind === 'json') return fromJson(text);
  if (kind === 'html') return { errors: [], bodyText: shorten(htmlTitle(text)) };
  if (kind === 'text') return { errors: [], bodyText: shorten(text) };
  return { errors: [] };
}

interface JsonError {
  errorCode?: unknown;
  errorMessage?: unknown;
  trackingId?: unknown;
}

function fromJson(text: string): NormalisedError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { errors: [], bodyText: shorten(text) };
  }
  const root = (parsed as { web_service_result?: unknown })?.web_service_result ?? parsed;
  const list = (root as { errorList?: { error?: JsonError | JsonError[] } } | null)?.errorList?.error;
  const entries = Array.isArray(list) ? list : list ? [list] : [];
  const errors = entries.map((e) => detail(e.errorCode, e.errorMessage, e.trackingId));
  return errors.length ? { errors } : { errors, bodyText: shorten(text) };
}

function htmlTitle(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  return (title ?? html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
