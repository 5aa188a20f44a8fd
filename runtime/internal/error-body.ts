import type { AlmaErrorDetail } from '../errors.js';
import type { BodyKind } from './body.js';
import { childElements, localName, ownText, parseXml, type XmlElement } from './xml.js';

export interface NormalisedError {
  errors: AlmaErrorDetail[];
  /** For bodies without Alma's structure: their text, shortened (an HTML page's title). */
  bodyText?: string;
}

const MAX_TEXT = 200;

/**
 * Reads any error body Alma or its gateway sends: `web_service_result` as namespaced XML, JSON at the top level or
 * wrapped in `web_service_result` (with `error` as an array or a single object), HTML pages, plain text, nothing.
 */
export function normaliseErrorBody(text: string, kind: BodyKind): NormalisedError {
  if (kind === 'json') return fromJson(text);
  if (kind === 'xml') return fromXml(text);
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

function fromXml(text: string): NormalisedError {
  let root: XmlElement;
  try {
    root = parseXml(text, { maxLength: 1024 * 1024 });
  } catch {
    return { errors: [], bodyText: shorten(text) };
  }
  const errorList = childElements(root).find((c) => localName(c.name) === 'errorList');
  const errors = childElements(errorList ?? root)
    .filter((c) => localName(c.name) === 'error')
    .map((e) => detail(childText(e, 'errorCode'), childText(e, 'errorMessage'), childText(e, 'trackingId')));
  return errors.length ? { errors } : { errors, bodyText: shorten(text) };
}

function childText(element: XmlElement, name: string): string | undefined {
  const child = childElements(element).find((c) => localName(c.name) === name);
  return child ? ownText(child).trim() : undefined;
}

function detail(code: unknown, message: unknown, trackingId: unknown): AlmaErrorDetail {
  const tracking = trackingId === undefined || trackingId === null || trackingId === '' ? undefined : String(trackingId);
  return { code: String(code ?? ''), message: String(message ?? ''), ...(tracking ? { trackingId: tracking } : {}) };
}

function htmlTitle(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  return (title ?? html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function shorten(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > MAX_TEXT ? `${folded.slice(0, MAX_TEXT)}…` : folded;
}
